// The social pages' small comforts (docs/social-web.md). Everything works without this file:
// forms post, the server counts characters and says when a text is too long.
(() => {
  "use strict";

  // ---- character counts: <textarea data-char-count="5000"> and <output data-char-count-for> ---
  // Numbers only ("120 / 5000"), so no words need translating here. Screen readers hear the
  // count only near the limit, not at every key.
  function updateCount(field) {
    const output = document.querySelector(`output[data-char-count-for="${field.id}"]`);
    const limit = Number(field.dataset.charCount);
    if (!output || !limit) return;
    const used = [...field.value].length; // characters, not UTF-16 units, as the server counts
    output.hidden = false;
    output.textContent = `${used} / ${limit}`;
    output.classList.toggle("is-near", limit - used <= limit / 10);
    output.classList.toggle("is-over", used > limit);
    output.setAttribute("aria-live", limit - used <= limit / 10 ? "polite" : "off");
  }
  function countAll(scope) {
    for (const field of scope.querySelectorAll("textarea[data-char-count]")) updateCount(field);
  }
  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches("textarea[data-char-count]")) updateCount(event.target);
  });

  // ---- forms answered with errors (status 400/403 and X-Impasto-Form-Errors) ----------------
  // htmx does not swap error answers; these carry the form back with its messages and the text
  // kept, so swap them in place like a success.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    if (xhr && xhr.status >= 400 && xhr.status < 500 && xhr.getResponseHeader("X-Impasto-Form-Errors")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // ---- compose: image slots appear one at a time, each with a preview of its file ---------
  // Without this, "Add more images" opens all ten slots at once.
  function tidySlots(scope) {
    for (const group of scope.querySelectorAll(".compose-images")) {
      const slots = [...group.querySelectorAll(".compose-image")];
      let last = 0;
      slots.forEach((slot, i) => {
        const file = slot.querySelector("input[type=file]");
        if ((file && file.files && file.files.length) || slot.querySelector(".errorlist")) last = i;
      });
      slots.forEach((slot, i) => { slot.hidden = i > last + 1; });
    }
  }
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
    tidySlots(document);
    const slot = input.closest(".compose-image");
    const preview = slot && slot.querySelector(".compose-image__preview");
    if (!preview) return;
    if (preview.src) URL.revokeObjectURL(preview.src);
    const file = input.files && input.files[0];
    if (file && file.type.startsWith("image/")) {
      preview.src = URL.createObjectURL(file);
      preview.hidden = false;
    } else {
      preview.removeAttribute("src");
      preview.hidden = true;
    }
  });

  // ---- conversations: start at the latest message, follow new ones ------------------------
  function scrollChat() {
    const last = document.querySelector("#chat > .chat__message:last-child");
    if (last) last.scrollIntoView({ block: "end" });
  }
  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    if (target && target.id === "chat") scrollChat();
  });

  function start() {
    countAll(document);
    tidySlots(document);
    if (document.getElementById("chat") && !location.hash) scrollChat();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  document.addEventListener("htmx:load", (event) => {
    if (event.detail.elt instanceof Element) countAll(event.detail.elt);
  });
})();
