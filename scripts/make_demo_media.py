#!/usr/bin/env python3
"""Make the demo lesson videos and their WebVTT captions for the courses in courses/.

For every lesson with a `video:` field, the clip is a 640x360 title card (course short name, lesson title,
instructor) with the lesson's key sentences spoken by espeak-ng:

    the lesson title, then each sentence of the bullets under the lesson's "## Key points" heading
    (3-6 bullets; if a lesson has no such list, the first sentences of its text are used instead).

Each sentence is synthesised to its own WAV, so every caption cue is timed from the real length of the
sentence it shows. After encoding, the lesson's `duration:` front-matter value is rewritten to the file's real
duration (ffprobe, rounded to whole seconds). The credit a lesson gives comes from `credit_minutes`, never
from the clip.

Idempotent: a fingerprint of everything that shapes the clip (text, voice, encoder settings) is stored in the
MP4's `comment` tag; a lesson whose video carries the current fingerprint and whose captions exist is skipped,
and only its `duration:` is corrected if needed. Use --force to rebuild everything.

Needs ffmpeg, ffprobe and espeak-ng on PATH (Debian: apt-get install ffmpeg espeak-ng fonts-dejavu-core).
Standard library only, so it runs with any python3.

    python3 scripts/make_demo_media.py                  # build what is missing or stale
    python3 scripts/make_demo_media.py --force          # rebuild every clip
    python3 scripts/make_demo_media.py --check          # report stale clips and durations; exit 1 if any
    python3 scripts/make_demo_media.py own-your-role    # only the named course(s)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import textwrap
import wave
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSES = ROOT / "courses"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

# Bump when the way clips are made changes, so every clip is rebuilt on the next run.
RECIPE_VERSION = 1
VOICE = "en-us+f3"
WORDS_PER_MINUTE = 165
BACKGROUND = "0x1f4e5f"
SIZE = "640x360"
FRAME_RATE = 10
LEAD_IN, AFTER_TITLE, BETWEEN, TAIL = 0.6, 0.8, 0.45, 1.0  # seconds of silence
X264 = [
    "-c:v",
    "libx264",
    "-preset",
    "veryslow",
    "-tune",
    "stillimage",
    "-crf",
    "35",
    "-pix_fmt",
    "yuv420p",
    "-g",
    str(FRAME_RATE * 10),
]
AAC = ["-c:a", "aac", "-b:a", "32k", "-ac", "1"]
MIN_SECONDS, MAX_SECONDS = 20, 60

# How espeak-ng should say the field's abbreviations; captions keep the written form.
PRONUNCIATIONS = {
    "OT's": "O T's",
    "OTs": "O T's",
    "OT": "O T",
    "OTA": "O T A",
    "OTR": "O T R",
    "IEPs": "I E P's",
    "IEP": "I E P",
    "IDEA": "I D E A",
    "LRE": "L R E",
    "AOTA": "A. O T A",
    "COTA": "C O T A",
    "MTSS": "M T S S",
    "PE": "P E",
    "Ms.": "Miz",
    "vs.": "versus",
}
FINGERPRINT_PREFIX = "demo-media:"


@dataclass
class Lesson:
    path: Path
    course_dir: Path
    course_name: str
    instructor: str
    title: str
    video: Path
    captions: Path
    sentences: list[str]

    @property
    def fingerprint(self) -> str:
        recipe = [
            RECIPE_VERSION,
            VOICE,
            WORDS_PER_MINUTE,
            BACKGROUND,
            SIZE,
            FRAME_RATE,
            X264,
            AAC,
            LEAD_IN,
            AFTER_TITLE,
            BETWEEN,
            TAIL,
            self.course_name,
            self.instructor,
            self.title,
            self.sentences,
        ]
        return hashlib.sha256(json.dumps(recipe).encode()).hexdigest()[:20]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("courses", nargs="*", help="course slugs (default: all)")
    parser.add_argument("--force", action="store_true", help="rebuild every clip")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if anything is stale")
    args = parser.parse_args(argv)

    problems = 0
    for lesson in find_lessons(args.courses):
        rel = lesson.path.relative_to(ROOT)
        stale = args.force or not is_up_to_date(lesson)
        if args.check:
            if stale:
                print(f"STALE  {rel}: video or captions missing or out of date")
                problems += 1
            elif front_matter_value(lesson.path, "duration") != format_duration(probe_duration(lesson.video)):
                print(f"STALE  {rel}: duration does not match {lesson.video.name}")
                problems += 1
            continue
        if stale:
            seconds = build_clip(lesson)
            size_kb = lesson.video.stat().st_size / 1024
            print(f"built  {rel}: {seconds:.1f} s, {size_kb:.0f} KB")
            if not MIN_SECONDS <= seconds <= MAX_SECONDS:
                print(f"  warning: {seconds:.1f} s is outside {MIN_SECONDS}-{MAX_SECONDS} s", file=sys.stderr)
        if sync_duration(lesson):
            print(f"duration updated in {rel}")
    return 1 if problems else 0


# --- Finding lessons and their text -------------------------------------------------------------------------


def find_lessons(slugs: list[str]):
    for course_md in sorted(COURSES.glob("*/course.md")):
        course_dir = course_md.parent
        if slugs and course_dir.name not in slugs:
            continue
        course = parse_front_matter(course_md.read_text(encoding="utf-8"))[0]
        course_name = course.get("title", course_dir.name).split(":")[0].strip()
        instructor = course.get("instructor", "")
        for path in sorted(course_dir.glob("[0-9]*/[0-9]*.md")):
            meta, body = parse_front_matter(path.read_text(encoding="utf-8"))
            if not meta.get("video"):
                continue
            video = course_dir / meta["video"]
            captions = course_dir / meta.get("captions", str(Path(meta["video"]).with_suffix(".vtt")))
            title = meta.get("title", path.stem)
            yield Lesson(
                path, course_dir, course_name, instructor, title, video, captions, key_sentences(body, path)
            )


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Top-level scalar `key: value` pairs of a '---' front-matter block (enough for lesson files)."""
    match = re.match(r"---\n(.*?)\n---\n?(.*)", text, re.S)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).splitlines():
        item = re.match(r"([A-Za-z_]+):\s*(.*)$", line)
        if item:
            meta[item.group(1)] = scalar(item.group(2))
    return meta, match.group(2)


def scalar(raw: str) -> str:
    raw = raw.strip()
    if raw.startswith('"'):
        end = re.match(r'"(?:[^"\\]|\\.)*"', raw)
        return json.loads(end.group(0)) if end else raw.strip('"')
    if raw.startswith("'"):
        end = re.match(r"'(?:[^']|'')*'", raw)
        return end.group(0)[1:-1].replace("''", "'") if end else raw.strip("'")
    return re.sub(r"\s+#.*$", "", raw)


def front_matter_value(path: Path, key: str) -> str | None:
    return parse_front_matter(path.read_text(encoding="utf-8"))[0].get(key)


def key_sentences(body: str, path: Path) -> list[str]:
    """The sentences of the '## Key points' bullets, or the first sentences of the text."""
    section = re.search(r"^##\s+Key points\s*\n(.*?)(?=^#|\Z)", body, re.M | re.S)
    bullets = []
    if section:
        for line in section.group(1).splitlines():
            if re.match(r"\s*[-*]\s+", line):
                bullets.append(re.sub(r"^\s*[-*]\s+", "", line))
            elif line.startswith("  ") and bullets:
                bullets[-1] += " " + line.strip()
    sentences = [s for bullet in bullets for s in split_sentences(plain(bullet))]
    if not sentences:
        paragraphs = [
            p for p in body.split("\n\n") if p.strip() and not p.lstrip().startswith(("#", "-", ">"))
        ]
        sentences = split_sentences(plain(" ".join(paragraphs)))[:4]
    elif not 3 <= len(bullets) <= 6:
        print(
            f"  warning: {path.relative_to(ROOT)} has {len(bullets)} key points (3-6 expected)",
            file=sys.stderr,
        )
    return sentences


def plain(markdown: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())


def split_sentences(text: str) -> list[str]:
    parts = re.split(r'(?<=[.!?])\s+(?=["A-Z])', text.strip())
    return [p for p in parts if p]


def spoken(sentence: str) -> str:
    for written, said in PRONUNCIATIONS.items():
        sentence = re.sub(rf"(?<![\w.]){re.escape(written)}(?![\w'])", said, sentence)
    return sentence


# --- Building a clip ----------------------------------------------------------------------------------------


def is_up_to_date(lesson: Lesson) -> bool:
    if not (lesson.video.exists() and lesson.captions.exists()):
        return False
    tags = ffprobe(lesson.video, "format_tags=comment")
    return tags.get("format", {}).get("tags", {}).get("comment") == FINGERPRINT_PREFIX + lesson.fingerprint


def build_clip(lesson: Lesson) -> float:
    lesson.video.parent.mkdir(parents=True, exist_ok=True)
    lesson.captions.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="demo-media-") as tmp:
        tmpdir = Path(tmp)
        lines = [lesson.title] + lesson.sentences
        audio, cues = speak(lines, tmpdir)
        total = cues[-1][1] + TAIL
        write_silence_padded(audio, tmpdir / "speech.wav", total)
        card = title_card_filter(lesson, tmpdir)
        partial = lesson.video.with_name(lesson.video.stem + ".partial.mp4")
        run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"color=c={BACKGROUND}:s={SIZE}:r={FRAME_RATE}:d={total:.3f}",
                "-i",
                str(tmpdir / "speech.wav"),
                "-vf",
                card,
                *X264,
                *AAC,
                "-shortest",
                "-map_metadata",
                "-1",
                "-metadata",
                f"title={lesson.title}",
                "-metadata",
                f"comment={FINGERPRINT_PREFIX}{lesson.fingerprint}",
                "-movflags",
                "+faststart",
                str(partial),
            ]
        )
        partial.replace(lesson.video)
    lesson.captions.write_text(webvtt(zip(lines, cues, strict=True)), encoding="utf-8")
    return probe_duration(lesson.video)


def speak(lines: list[str], tmpdir: Path):
    """One WAV per sentence, joined with pauses: returns ((frames, params), [(start, end) of each line])."""
    frames, cues, params, clock = [], [], None, 0.0
    for index, line in enumerate(lines):
        wav_path = tmpdir / f"line{index:02d}.wav"
        run(["espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-w", str(wav_path), spoken(line)])
        with wave.open(str(wav_path), "rb") as wav:
            params = params or wav.getparams()
            data = wav.readframes(wav.getnframes())
            seconds = wav.getnframes() / wav.getframerate()
        pause = LEAD_IN if index == 0 else (AFTER_TITLE if index == 1 else BETWEEN)
        frames.append(silence(params, pause))
        clock += pause
        frames.append(data)
        cues.append((clock, clock + seconds))
        clock += seconds
    return (b"".join(frames), params), cues


def silence(params, seconds: float) -> bytes:
    return b"\x00" * (int(round(seconds * params.framerate)) * params.sampwidth * params.nchannels)


def write_silence_padded(audio, path: Path, total: float) -> None:
    data, params = audio
    with wave.open(str(path), "wb") as out:
        out.setnchannels(params.nchannels)
        out.setsampwidth(params.sampwidth)
        out.setframerate(params.framerate)
        target = int(round(total * params.framerate)) * params.sampwidth * params.nchannels
        out.writeframes(data + b"\x00" * max(0, target - len(data)))


def title_card_filter(lesson: Lesson, tmpdir: Path) -> str:
    """drawtext filters: course name at the top, the wrapped title centred, the instructor at the bottom."""
    # The largest font at which the title wraps to three lines or fewer.
    size, title_lines = next(
        (size, lines)
        for size, width in ((34, 26), (30, 30), (26, 36), (22, 44), (18, 200))
        if len(lines := textwrap.wrap(lesson.title, width=width)) <= 3
    )
    line_height = int(size * 1.3)
    top = (360 - line_height * len(title_lines)) // 2 + 6
    filters = [
        drawtext(tmpdir, "course", lesson.course_name, FONT, 20, "0xcde4ea", "42"),
        "drawbox=x=250:y=78:w=140:h=3:color=0xf2b84b:t=fill",
    ]
    for index, text in enumerate(title_lines):
        filters.append(
            drawtext(tmpdir, f"title{index}", text, FONT_BOLD, size, "white", str(top + index * line_height))
        )
    filters.append(drawtext(tmpdir, "instructor", lesson.instructor, FONT, 18, "0xcde4ea", "h-58"))
    return ",".join(filters)


def drawtext(tmpdir: Path, name: str, text: str, font: str, size: int, color: str, y: str) -> str:
    # Text goes through a file so that quotes, colons and commas in titles need no filter-graph escaping.
    text_file = tmpdir / f"{name}.txt"
    text_file.write_text(text, encoding="utf-8")
    return (
        f"drawtext=fontfile={font}:textfile={text_file}:expansion=none:fontsize={size}"
        f":fontcolor={color}:x=(w-text_w)/2:y={y}"
    )


def webvtt(cues) -> str:
    blocks = ["WEBVTT", ""]
    for number, (text, (start, end)) in enumerate(cues, start=1):
        safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        blocks += [str(number), f"{timestamp(start)} --> {timestamp(end)}", safe, ""]
    return "\n".join(blocks)


def timestamp(seconds: float) -> str:
    millis = int(round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


# --- Durations in the lesson file ---------------------------------------------------------------------------


def probe_duration(video: Path) -> float:
    return float(ffprobe(video, "format=duration")["format"]["duration"])


def format_duration(seconds: float) -> str:
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def sync_duration(lesson: Lesson) -> bool:
    """Rewrite the lesson's `duration:` to the video's real length; True if the file changed."""
    wanted = format_duration(probe_duration(lesson.video))
    text = lesson.path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n---\n")
    line = f'duration: "{wanted}"'
    if re.search(r"^duration:", head, re.M):
        new_head = re.sub(
            r"^duration:[^\n#]*?(\s+#[^\n]*)?$",
            lambda m: line + (m.group(1) or ""),
            head,
            count=1,
            flags=re.M,
        )
    else:
        new_head = re.sub(
            r"^(captions:[^\n]*|video:[^\n]*)$", lambda m: m.group(1) + "\n" + line, head, count=1, flags=re.M
        )
    if new_head == head:
        return False
    lesson.path.write_text(new_head + sep + rest, encoding="utf-8")
    return True


# --- Tools --------------------------------------------------------------------------------------------------


def ffprobe(video: Path, entries: str) -> dict:
    result = run(["ffprobe", "-v", "error", "-show_entries", entries, "-of", "json", str(video)])
    return json.loads(result.stdout or "{}")


def run(command: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        sys.exit(f"{command[0]} not found: apt-get install ffmpeg espeak-ng fonts-dejavu-core")
    except subprocess.CalledProcessError as error:
        sys.exit(f"{' '.join(command[:3])}... failed:\n{error.stderr}")


if __name__ == "__main__":
    sys.exit(main())
