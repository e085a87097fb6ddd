// Lesson media uploads with a progress bar. Each form works without JavaScript (a plain multipart
// POST); here the same form goes through XMLHttpRequest, whose upload events give real progress,
// and the server answers in JSON: where to go next, or why the file was refused, shown by its field.

const forms = document.querySelectorAll("form.media-upload");
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

for (const form of forms) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(form);
  });
}

function send(form) {
  const input = form.querySelector("input[type=file]");
  const file = input.files[0];
  clearErrors(form);
  if (!file) {
    showError(form, input.id, "Choose a file to upload.");
    return;
  }
  const limit = Number(input.dataset.maxBytes);
  if (limit && file.size > limit) {
    showError(form, input.id, `This file is too large: at most ${input.dataset.maxWords}.`);
    return;
  }
  const request = new XMLHttpRequest();
  const bar = form.querySelector("progress");
  const button = form.querySelector("button[type=submit]");
  request.open("POST", form.action);
  request.setRequestHeader("Accept", "application/json");
  request.setRequestHeader("X-CSRFToken", csrfToken);
  request.upload.addEventListener("progress", (progress) => {
    if (progress.lengthComputable) {
      bar.value = Math.round((progress.loaded / progress.total) * 100);
      say(form, `Uploading… ${bar.value}%`);
    }
  });
  request.addEventListener("load", () => finished(form, input, request));
  request.addEventListener("error", () => failed(form, input, "The upload could not reach the server. Try again."));
  request.addEventListener("abort", () => failed(form, input, "The upload was stopped."));
  form.querySelector(".upload-progress").hidden = false;
  bar.value = 0;
  button.disabled = true;
  say(form, "Uploading… 0%");
  request.send(new FormData(form));
}

function finished(form, input, request) {
  let answer = {};
  try {
    answer = JSON.parse(request.responseText);
  } catch {
    answer = {};
  }
  if (request.status >= 200 && request.status < 300 && answer.redirect) {
    say(form, "Uploaded. Loading the page…");
    go(new URL(answer.redirect, window.location.href));
    return;
  }
  const message = answer.message ?? (request.status === 413
    ? "The file is too large for the server."
    : `The upload failed (${request.status}). Try again.`);
  failed(form, input, message, answer.field);
}

function go(target) {
  const here = window.location;
  if (target.pathname === here.pathname && target.search === here.search) {
    // Only the #fragment differs: assigning would just scroll, and the page must show the new file.
    here.hash = target.hash;
    here.reload();
  } else {
    here.assign(target.href);
  }
}

function failed(form, input, message, field) {
  form.querySelector("button[type=submit]").disabled = false;
  form.querySelector(".upload-progress").hidden = true;
  say(form, "");
  const target = field && form.querySelector(`#${CSS.escape(field)}`) ? field : input.id;
  showError(form, target, message);
}

function showError(form, id, message) {
  const field = form.querySelector(`#${CSS.escape(id)}`);
  const error = form.querySelector(`#${CSS.escape(id)}-error`);
  error.textContent = message;
  error.hidden = false;
  field.setAttribute("aria-invalid", "true");
  field.closest(".field").classList.add("field-invalid");
  field.setAttribute("aria-describedby", `${id}-hint ${id}-error`);
  field.focus();
}

function clearErrors(form) {
  for (const error of form.querySelectorAll(".error")) {
    error.hidden = true;
    error.textContent = "";
  }
  for (const field of form.querySelectorAll("[aria-invalid]")) {
    field.removeAttribute("aria-invalid");
    field.closest(".field").classList.remove("field-invalid");
    field.setAttribute("aria-describedby", `${field.id}-hint`);
  }
}

function say(form, text) {
  form.querySelector(".upload-status").textContent = text;
}
