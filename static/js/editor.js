// The lesson editor's live preview. The markdown goes to the server, which renders it with the same
// function that renders lessons for learners; its sanitised HTML replaces the preview pane. Without
// JavaScript the form's "Preview" button does the same with a page load.

const DELAY_MS = 400;
const form = document.getElementById("lesson-editor");

if (form) {
  const body = form.querySelector("textarea[name=body]");
  const pane = document.getElementById("lesson-preview");
  const status = document.getElementById("preview-status");
  const url = form.dataset.previewUrl;
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  let timer = null;
  let sent = 0;
  let shown = 0;

  body.addEventListener("input", () => {
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
        body: JSON.stringify({ body: body.value }),
      });
      answer = await response.json();
    } catch {
      say("The preview could not reach the server. Your text is safe in the form.");
      return;
    }
    if (number < shown) return; // an older answer arriving after a newer one
    shown = number;
    if (!response.ok) {
      say(answer.message || "The preview is not available right now.");
      return;
    }
    pane.innerHTML = answer.html; // sanitised on the server, as learners' pages are
    say("");
  }

  function say(message) {
    status.textContent = message;
  }
}
