// Portfolio editing (impasto/art): reorder a project's images by drag and drop.
// Without JavaScript, or from the keyboard, the Move up / Move down buttons do the same.
// Events are delegated from the document, so lists that htmx swaps in work without set-up.
(function () {
  "use strict";

  var dragged = null;

  function itemOf(target) {
    return target instanceof Element ? target.closest("[data-sortable] [data-image-id]") : null;
  }

  document.addEventListener("dragstart", function (event) {
    dragged = itemOf(event.target);
    if (!dragged) return;
    dragged.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.imageId);
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var over = itemOf(event.target);
    if (!over || over.parentElement !== dragged.parentElement) return;
    event.preventDefault();
    if (over === dragged) return;
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    over.parentElement.insertBefore(dragged, after ? over.nextSibling : over);
  });

  document.addEventListener("drop", function (event) {
    if (dragged) event.preventDefault();
  });

  document.addEventListener("dragend", function () {
    if (!dragged) return;
    var list = dragged.parentElement;
    dragged.classList.remove("is-dragging");
    dragged = null;
    var ids = Array.prototype.map.call(list.querySelectorAll("[data-image-id]"), function (li) {
      return li.dataset.imageId;
    });
    var form = list.parentElement.querySelector("[data-order-form]");
    if (!form) return;
    form.querySelector("input[name=order]").value = ids.join(",");
    form.requestSubmit();
  });

  // A refused image (400, 413, 415, 422, 429: not an image, too large, too many uploads) comes
  // back as the image list with the reason: swap it in like a success, so the artist reads why
  // (htmx leaves error answers out, and only a generic toast said anything).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var xhr = event.detail.xhr;
    if (target instanceof Element && target.id === "project-images" && xhr.status >= 400 &&
        xhr.status < 500 && xhr.responseText.indexOf('id="project-images"') !== -1) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

    document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    // A refusal swapped in above counts as "successful" to htmx: keep what was typed then.
    if (form instanceof Element && form.matches("[data-reset-on-success]") && event.detail.successful &&
        event.detail.xhr.status < 400) {
      form.reset();
    }
  });
})();
