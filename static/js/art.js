// Portfolio editing (impasto/art): reorder a project's images by drag and drop.
// Without JavaScript, or from the keyboard, the Move up / Move down buttons do the same.
(function () {
  "use strict";

  function sortable(list) {
    var dragged = null;
    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("[data-image-id]");
      if (!dragged) return;
      dragged.classList.add("is-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.imageId);
    });
    list.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      var over = event.target.closest("[data-image-id]");
      if (!over || over === dragged) return;
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextSibling : over);
    });
    list.addEventListener("drop", function (event) {
      event.preventDefault();
    });
    list.addEventListener("dragend", function () {
      if (!dragged) return;
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
  }

  function init(root) {
    root.querySelectorAll("[data-sortable]").forEach(function (list) {
      if (list.dataset.sortableReady) return;
      list.dataset.sortableReady = "1";
      sortable(list);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target;
    if (form.matches && form.matches("[data-reset-on-success]") && event.detail.successful) {
      form.reset();
    }
  });
})();
