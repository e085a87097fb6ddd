// Live previews of markdown in the studio (a lesson's text, a course's landing page). A form with
// data-preview-url sends its data-preview-source field to the server, which renders it with the same
// function that renders it for learners; the sanitised HTML replaces the data-preview-pane element.
// Without JavaScript the form's "Preview" button does the same with a page load.

const DELAY_MS = 400;
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;

for (const form of document.querySelectorAll("form[data-preview-url]")) {
  const text = form.elements[form.dataset.previewSource];
  const pane = document.getElementById(form.dataset.previewPane);
  const status = document.getElementById(form.dataset.previewStatus);
  if (text && pane && status) livePreview(form.dataset.previewUrl, text, pane, status);
}

function livePreview(url, text, pane, status) {
  let timer = null;
  let sent = 0;
  let shown = 0;

  text.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, DELAY_MS);
  });

  async function update() {
    const number = ++sent;
    let response;
    let answer = {};
    try {
      response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify({ body: text.value }),
      });
      answer = await response.json();
    } catch {
      status.textContent = "The preview could not reach the server. Your text is safe in the form.";
      return;
    }
    if (number < shown) return; // an older answer arriving after a newer one
    shown = number;
    if (!response.ok) {
      status.textContent = answer.message || "The preview is not available right now.";
      return;
    }
    pane.innerHTML = answer.html; // sanitised on the server, as learners' pages are
    status.textContent = "";
  }
}
