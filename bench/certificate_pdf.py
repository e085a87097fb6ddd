"""How long one certificate PDF takes to generate, in-process (issue 5: median under 50 ms).

    .venv/bin/python bench/certificate_pdf.py [--renders 200] [--warmup 20]

Renders the certificate of a realistic snapshot (an AOTA-approved course, an accented legal name, a
licence, the signature image, the QR code) `--renders` times after `--warmup` untimed renders, and
prints the median, p95 and fastest wall time and the median CPU time, then the same for three
variants with fewer renders. Each render is another certificate (its own id, so its own QR code). As
DESIGN §7 asks for ratios, not absolute times alone, a bare fpdf2 "hello world" page (one core font,
one line) is timed after every render, and each median is also given as a multiple of its median.
Exits 0 whether or not the target is met (a miss prints FAIL); 2 if a render fails.
"""

import argparse
import copy
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# Run as a script, so the project root is not on the path yet.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

import fpdf  # noqa: E402
import segno  # noqa: E402

from courseware.certificates.pdf import render_certificate_pdf  # noqa: E402

TARGET_MS = 50.0
SIGNATURE = PROJECT_ROOT / "static" / "img" / "signature.png"

SNAPSHOT = {
    "version": 1,
    "public_id": "9f86d081884c7d659a2feaa0c55ad015",
    "serial": "HCE-2026-000042",
    "verify_url": "http://127.0.0.1:5000/verify/9f86d081884c7d659a2feaa0c55ad015",
    "holder": {"legal_name": "Zoë Ñúñez-O'Brien", "credential": "OTR/L",
               "licence": {"state": "TX", "profession": "OT", "number": "12345"}},
    "course": {"title": "From Isolation to Integration: Effective OT in the Natural School Environment",
               "slug": "from-isolation-to-integration", "revision": 3,
               "instructor": "Jennifer Huff, OTR, MOT",
               "level": "Intermediate", "content_focus": "Occupational Therapy Process",
               "contact_hours": "6.75", "ceus": "0.675", "pdus": "8.44"},
    "completed_on": "2026-11-23",
    "issued_at": "2026-11-23T19:04:05+00:00",
    "provider": {"name": "Jennifer Huff, LLC", "state_notice": None, "approval": {
        "body": "AOTA", "number": "0000",
        "statement": "Jennifer Huff, LLC is an AOTA Approved Provider of professional development. Course "
                     "approval ID# 0000. This distance learning-independent course is offered at 0.675 CEUs "
                     "(6.75 contact hours), Intermediate level, Occupational Therapy Process. AOTA does not "
                     "endorse specific course content, products, or clinical procedures."}},
    "signer": {"name": "Jennifer Huff, OTR, MOT", "title": "Instructor and Education Director"},
    "assessment": {"post_test_passed": True, "score_percent": "90"},
}


def variants() -> dict[str, tuple[dict, str | None]]:
    not_approved = copy.deepcopy(SNAPSHOT)
    not_approved["provider"] = {"name": "Jennifer Huff, LLC", "approval": None,
                                "state_notice": "This course is not AOTA-approved. Refer to your state's "
                                                "guidelines."}
    long_texts = copy.deepcopy(SNAPSHOT)
    long_texts["holder"]["legal_name"] = "Maximiliana Alexandrina Ñúñez-O'Brien de la Santísima Trinidad " * 2
    long_texts["course"]["title"] = "Evidence-Based Strategies for Sensory and Motor Supports " * 4
    greek = copy.deepcopy(SNAPSHOT)
    greek["holder"]["legal_name"] = "Αλέξανδρος Παπαδόπουλος"
    return {
        "not approved (state notice)": (not_approved, None),
        "very long name and title, REVOKED": (long_texts, "REVOKED"),
        "Greek name (loads the DejaVu fallback)": (greek, None),
    }


def hello_pdf() -> bytes:
    pdf = fpdf.FPDF(orientation="L", unit="pt", format="letter")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Hello, World!")
    return bytes(pdf.output())


def numbered(snapshot: dict, number: int) -> dict:
    """Each render is another certificate: its own id, serial and URL, so another QR code."""
    public_id = f"{number:032x}"
    return {**snapshot, "public_id": public_id, "serial": f"HCE-2026-{number:06d}",
            "verify_url": f"http://127.0.0.1:5000/verify/{public_id}"}


@dataclass
class Timings:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    hello_wall: list[float] = field(default_factory=list)

    def row(self, label: str) -> str:
        wall, cpu = statistics.median(self.wall), statistics.median(self.cpu)
        p95 = statistics.quantiles(self.wall, n=20)[-1]
        ratio = wall / statistics.median(self.hello_wall)
        return (f"| {label} | {len(self.wall)} | **{wall:.1f}** | {p95:.1f} | {min(self.wall):.1f} "
                f"| {cpu:.1f} | {ratio:.0f}× |")


def timed(render: Callable[[int], bytes], renders: int, warmup: int) -> Timings:
    """Renders interleaved with the hello-world baseline, so both see the same machine load."""
    for number in range(warmup):
        render(number)
        hello_pdf()
    timings = Timings()
    for number in range(warmup, warmup + renders):
        start, cpu_start = time.perf_counter(), time.process_time()
        render(number)
        timings.wall.append((time.perf_counter() - start) * 1000)
        timings.cpu.append((time.process_time() - cpu_start) * 1000)
        start = time.perf_counter()
        hello_pdf()
        timings.hello_wall.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    try:
        size = len(render_certificate_pdf(SNAPSHOT, SIGNATURE))
        main_timings = timed(lambda n: render_certificate_pdf(numbered(SNAPSHOT, n), SIGNATURE),
                             args.renders, args.warmup)
        others = {label: timed(lambda n, s=snap, w=mark: render_certificate_pdf(numbered(s, n), SIGNATURE, w),
                               max(20, args.renders // 4), 5)
                  for label, (snap, mark) in variants().items()}
    except Exception as error:  # noqa: BLE001 - report any failure as a failed run
        print(f"render failed: {error!r}", file=sys.stderr)
        return 2
    print(f"Python {platform.python_version()}, fpdf2 {fpdf.__version__}, segno {segno.__version__}, "
          f"{platform.machine()}, load average {os.getloadavg()[0]:.2f}; certificate {size // 1024} kB")
    print(f"hello PDF baseline: median {statistics.median(main_timings.hello_wall):.2f} ms\n")
    print("| Render | n | median ms | p95 ms | fastest ms | CPU median ms | × hello PDF |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(main_timings.row("certificate (approved, accented name)"))
    for label, timings in others.items():
        print(timings.row(label))
    median = statistics.median(main_timings.wall)
    verdict = "PASS" if median < TARGET_MS else "FAIL (above target)"
    print(f"\nmedian {median:.1f} ms, target < {TARGET_MS:.0f} ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
