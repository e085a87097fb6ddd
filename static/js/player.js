// The lesson player: resume, speed, interactive transcript, and watch-time heartbeats.
//
// The browser's `played` ranges say what was really played (not skipped over). Every ~10 s the
// player sends the ranges the server has not acknowledged yet; the server keeps the union and
// decides what counts, so nothing here is trusted for credit.

const HEARTBEAT_MS = 10000;
const root = document.getElementById("player");
const video = document.getElementById("lesson-video");

if (root && video) {
  const duration = Number(root.dataset.duration);
  const progressUrl = root.dataset.progressUrl;
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const status = document.getElementById("watch-status");
  const bar = document.getElementById("watch-progress");
  let acknowledged = [];
  let sending = false;

  const linkedStart = startFromLink();
  if (linkedStart === null) setUpResume(Number(root.dataset.start)); else seekOnLoad(linkedStart);
  setUpSpeed();
  setUpTranscript();
  setUpAskLink();
  collapseOutlineOnPhones();

  if (progressUrl) {
    setInterval(() => { if (!video.paused) sendHeartbeat(); }, HEARTBEAT_MS);
    video.addEventListener("pause", () => sendHeartbeat());
    video.addEventListener("ended", () => sendHeartbeat());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") sendHeartbeat({ keepalive: true });
    });
  }

  function setUpResume(start) {
    if (!(start > 0) || start >= duration - 2) return;
    seekOnLoad(start);
  }

  function seekOnLoad(start) {
    const seek = () => { video.currentTime = start; };
    if (video.readyState >= 1) seek(); else video.addEventListener("loadedmetadata", seek, { once: true });
  }

  // ?t=<second> (a forum question's link) opens the video at that second, over the resume point.
  function startFromLink() {
    const t = new URLSearchParams(window.location.search).get("t");
    if (t === null || !/^\d+$/.test(t)) return null;
    const seconds = Number(t);
    return seconds <= duration ? seconds : null;
  }

  // "Ask about this lesson" takes the second the learner is at (the link works without it).
  function setUpAskLink() {
    const ask = document.getElementById("ask-about-lesson");
    if (!ask) return;
    ask.addEventListener("click", () => {
      const url = new URL(ask.href, window.location.href);
      url.searchParams.set("t", String(Math.floor(video.currentTime || 0)));
      ask.href = url.toString();
    });
  }

  function setUpSpeed() {
    const select = document.getElementById("playback-rate");
    if (!select) return;
    const saved = localStorage.getItem("playbackRate");
    if (saved && [...select.options].some((option) => option.value === saved)) select.value = saved;
    video.playbackRate = Number(select.value);
    select.addEventListener("change", () => {
      video.playbackRate = Number(select.value);
      localStorage.setItem("playbackRate", select.value);
    });
    // Some browsers reset the rate when the source loads.
    video.addEventListener("loadedmetadata", () => { video.playbackRate = Number(select.value); });
  }

  function setUpTranscript() {
    const list = document.getElementById("transcript");
    if (!list) return;
    const buttons = [...list.querySelectorAll("button[data-start]")];
    list.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-start]");
      if (!button) return;
      video.currentTime = Number(button.dataset.start);
      video.play().catch(() => {});
    });
    video.addEventListener("timeupdate", () => {
      const now = video.currentTime;
      for (const button of buttons) {
        const active = now >= Number(button.dataset.start) && now < Number(button.dataset.end);
        if (active) button.setAttribute("aria-current", "true"); else button.removeAttribute("aria-current");
      }
    });
  }

  function collapseOutlineOnPhones() {
    const outline = document.getElementById("outline");
    if (outline && window.matchMedia("(max-width: 59.99rem)").matches) outline.open = false;
  }

  function playedRanges() {
    const ranges = [];
    for (let i = 0; i < video.played.length; i++) {
      const start = Math.max(0, video.played.start(i));
      const end = Math.min(duration, video.played.end(i));
      if (end > start) ranges.push([round(start), round(end)]);
    }
    return ranges;
  }

  async function sendHeartbeat(options = {}) {
    if (sending && !options.keepalive) return;
    const pending = subtract(playedRanges(), acknowledged);
    const body = JSON.stringify({
      intervals: pending,
      position: round(Math.min(duration, Math.max(0, video.currentTime || 0))),
      rate: video.playbackRate,
    });
    sending = true;
    try {
      const response = await fetch(progressUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
        body,
        credentials: "same-origin",
        keepalive: Boolean(options.keepalive),
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok) {
        acknowledged = union(acknowledged, pending);
        showState(answer);
      } else if (response.status === 400 && answer.code !== "over_budget") {
        acknowledged = union(acknowledged, pending); // the server will never take these; do not resend
      }
      // 409 and over-budget answers: keep the ranges; the next heartbeat sends them again.
    } catch (error) {
      // Offline for a moment: the ranges stay pending and go with the next heartbeat.
    } finally {
      sending = false;
    }
  }

  function showState(answer) {
    if (typeof answer.percent !== "number") return;
    if (bar) bar.value = Math.floor(answer.percent);
    if (answer.complete) {
      status.textContent = "Lesson complete ✓";
      const current = document.querySelector('.outline li.current .lesson-state');
      if (current) { current.textContent = "✓"; current.className = "lesson-state done"; }
      // The check mark is hidden from screen readers; the words beside the link say it for them.
      const spoken = document.querySelector('.outline li.current .lesson-title .visually-hidden');
      if (spoken) spoken.textContent = "(completed)";
    } else {
      status.textContent = `Watched ${Math.floor(answer.percent)}% · ${root.dataset.watchPercent}% completes the lesson`;
    }
  }
}

function round(seconds) {
  return Math.round(seconds * 1000) / 1000;
}

function union(a, b) {
  const all = [...a, ...b].filter(([s, e]) => e > s).sort((x, y) => x[0] - y[0]);
  const merged = [];
  for (const [s, e] of all) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e); else merged.push([s, e]);
  }
  return merged;
}

// The parts of `ranges` not covered by `covered` (both sorted, disjoint).
function subtract(ranges, covered) {
  const result = [];
  for (const [start, end] of ranges) {
    let cursor = start;
    for (const [cs, ce] of covered) {
      if (ce <= cursor || cs >= end) continue;
      if (cs > cursor) result.push([cursor, cs]);
      cursor = Math.max(cursor, ce);
    }
    if (cursor < end) result.push([cursor, end]);
  }
  return result.filter(([s, e]) => e - s >= 0.001);
}
