// Drag and drop for the course outline. A module or lesson is dragged (HTML5 drag and drop) to its new
// place; on drop the whole new order goes to the server in one POST, and the result is announced in the
// page's live region. Without JavaScript, or with the keyboard, the Move up / Move down buttons and the
// "move to module" select do the same with a page load each.

const outline = document.getElementById("course-outline");

if (outline) {
  const status = document.getElementById("outline-status");
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  let dragged = null;
  let orderBefore = "";

  outline.addEventListener("dragstart", (event) => {
    dragged = event.target.closest("[data-lesson-id], section[data-module-id]");
    if (!dragged) return;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.id || "");
    dragged.classList.add("is-dragging");
    orderBefore = JSON.stringify(currentOrder());
  });

  outline.addEventListener("dragover", (event) => {
    if (!dragged) return;
    const place = placeFor(event.target, event.clientY);
    if (!place) return;
    event.preventDefault(); // allows the drop here
    const { parent, before } = place;
    const alreadyThere = before === dragged || (dragged.parentElement === parent && dragged.nextElementSibling === before);
    if (!alreadyThere) parent.insertBefore(dragged, before);
  });

  outline.addEventListener("drop", (event) => {
    if (dragged) event.preventDefault();
  });

  outline.addEventListener("dragend", () => {
    if (!dragged) return;
    dragged.classList.remove("is-dragging");
    dragged = null;
    if (JSON.stringify(currentOrder()) !== orderBefore) save();
  });

  // Where the dragged item would go: a lesson into any module's list, a module among the modules.
  function placeFor(target, y) {
    if (!(target instanceof Element)) return null;
    if (dragged.dataset.lessonId) {
      const list = target.closest("section[data-module-id]")?.querySelector("ol[data-module-id]");
      if (!list) return null;
      return { parent: list, before: nextAfter(list.querySelectorAll(":scope > li[data-lesson-id]"), y) };
    }
    if (!target.closest("section[data-module-id]")) return null;
    return { parent: outline, before: nextAfter(outline.querySelectorAll(":scope > section[data-module-id]"), y) };
  }

  function nextAfter(items, y) {
    for (const item of items) {
      if (item === dragged) continue;
      const box = item.getBoundingClientRect();
      if (y < box.top + box.height / 2) return item;
    }
    // After the last movable one: before any retired module or lesson that follows.
    const last = items[items.length - 1];
    return last ? last.nextElementSibling : null;
  }

  function currentOrder() {
    return [...outline.querySelectorAll(":scope > section[data-module-id]")].map((section) => ({
      id: Number(section.dataset.moduleId),
      lessons: [...section.querySelectorAll("ol > li[data-lesson-id]")].map((li) => Number(li.dataset.lessonId)),
    }));
  }

  async function save() {
    say("Saving the new order…");
    let response;
    let answer = {};
    try {
      response = await fetch(outline.dataset.saveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify({ version: outline.dataset.version, modules: currentOrder() }),
      });
      answer = await response.json();
    } catch {
      say("The new order could not be saved: the server did not answer. Reload the page and try again.");
      return;
    }
    if (!response.ok) {
      say(answer.message || "The new order could not be saved. Reload the page and try again.");
      return;
    }
    outline.dataset.version = answer.version;
    // The buttons' forms carry the version too: keep them in step so they keep working without a reload.
    for (const input of outline.querySelectorAll("input[name=version]")) input.value = answer.version;
    say(answer.message);
  }

  function say(message) {
    status.textContent = message;
  }
}
