// The post-test and evaluation editors. The forms work without JavaScript (every button sends the
// form and it comes back changed); this only makes two things instant:
// - "Learners choose every answer that applies" turns the correct-answer radios into checkboxes and back;
// - an evaluation question's choices show only while its type is "choice";
// - a link in the error summary puts the focus in the field it names (a link alone only scrolls there).

for (const form of document.querySelectorAll("[data-questions-editor]")) {
  for (const toggle of form.querySelectorAll("[data-multiple-toggle]")) {
    toggle.addEventListener("change", () => switchCorrectMarkers(toggle));
  }
  for (const choices of form.querySelectorAll("[data-choices-for]")) {
    const select = document.getElementById(choices.dataset.choicesFor);
    const show = () => { choices.hidden = select.value !== "choice"; };
    select.addEventListener("change", show);
    show();
  }
}

for (const link of document.querySelectorAll(".form-summary a[href^='#']")) {
  link.addEventListener("click", (event) => {
    const field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.focus();
    }
  });
}

function switchCorrectMarkers(toggle) {
  const question = toggle.closest("fieldset");
  const markers = question.querySelectorAll("[data-correct]");
  const type = toggle.checked ? "checkbox" : "radio";
  let kept = false;
  for (const marker of markers) {
    // A one-answer question keeps only the first ticked answer, as radios would.
    if (type === "radio" && marker.checked) {
      marker.checked = !kept;
      kept = true;
    }
    marker.type = type;
  }
  const legend = question.querySelector(".choices-editor > legend");
  legend.textContent = legend.textContent.replace(/the correct (one|ones)$/, toggle.checked ? "the correct ones" : "the correct one");
}
