// The "Copy" button beside a new token's secret. Without scripts the field is still there to
// select and copy by hand; the button stays hidden. Delegated, so it works after htmx swaps.
(() => {
  const reveal = (root) => {
    if (!navigator.clipboard) return;
    root.querySelectorAll("[data-copy-target]").forEach((button) => { button.hidden = false; });
  };
  document.addEventListener("DOMContentLoaded", () => reveal(document));
  document.addEventListener("htmx:afterSettle", (event) => {
    reveal(event.target);
    // A revoked token's row is gone, and focus with it: put focus on the list's heading.
    const origin = event.detail.requestConfig && event.detail.requestConfig.elt;
    const next = origin && origin.dataset.focusAfter;
    if (next) document.getElementById(next)?.focus();
  });
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy-target]");
    if (!button) return;
    const field = document.getElementById(button.dataset.copyTarget);
    if (!field) return;
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      button.textContent = button.dataset.copiedLabel;
    } catch {
      // Clipboard refused (permissions): the text is selected for a manual copy.
    }
  });
})();
