// Impasto's small progressive enhancements. Every page works without this file: links are
// links, forms post. Loaded as a static file (the CSP allows no inline script), with `defer`.
// Text shown to people comes from data-* attributes the server translated.
(() => {
  "use strict";

  const root = document.documentElement;

  // ---- disclosure menus (account menu, dropdowns) -------------------------------------------
  // <div class="menu" data-menu><button class="menu__button" aria-expanded="false"
  //  aria-controls="id">…</button><div class="menu__panel" id="id">…</div></div>
  function setupMenu(menu) {
    const button = menu.querySelector(".menu__button");
    const panel = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!button || !panel || menu.classList.contains("is-ready")) return;
    menu.classList.add("is-ready"); // from now on aria-expanded, not :focus-within, opens it
    const open = (value) => button.setAttribute("aria-expanded", String(value));
    const isOpen = () => button.getAttribute("aria-expanded") === "true";
    button.addEventListener("click", () => {
      open(!isOpen());
      if (isOpen()) {
        const first = panel.querySelector("a, button");
        if (first && button.matches(":focus-visible")) first.focus();
      }
    });
    menu.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && isOpen()) {
        open(false);
        button.focus();
        event.stopPropagation();
      }
    });
    menu.addEventListener("focusout", (event) => {
      if (isOpen() && event.relatedTarget && !menu.contains(event.relatedTarget)) open(false);
    });
    document.addEventListener("click", (event) => {
      if (isOpen() && !menu.contains(event.target)) open(false);
    });
  }

  // ---- dialogs --------------------------------------------------------------------------------
  // <button data-dialog-open="id"> opens <dialog class="dialog" id="id"> as a modal; Escape
  // and <form method="dialog"> buttons close it natively; a click on the backdrop closes it.
  function setupDialogs(scope) {
    for (const opener of scope.querySelectorAll("[data-dialog-open]")) {
      const dialog = document.getElementById(opener.dataset.dialogOpen);
      if (!dialog || typeof dialog.showModal !== "function" || opener.dataset.dialogReady) continue;
      opener.dataset.dialogReady = "true";
      opener.hidden = false;
      opener.addEventListener("click", (event) => {
        event.preventDefault();
        dialog.showModal();
      });
    }
    for (const dialog of scope.querySelectorAll("dialog.dialog:not([data-dialog-ready])")) {
      dialog.dataset.dialogReady = "true";
      dialog.addEventListener("click", (event) => {
        if (event.target === dialog) dialog.close();
      });
    }
  }

  // ---- toasts ---------------------------------------------------------------------------------
  const ICONS = { success: "check", error: "alert", warning: "alert", info: "info" };
  const SVG = "http://www.w3.org/2000/svg";

  function showToast(message, level) {
    const region = document.getElementById("toasts");
    if (!region || !message) return;
    const kind = ICONS[level] ? level : "info";
    const toast = document.createElement("div");
    toast.className = "toast toast--" + kind;
    if (region.dataset.icons) {
      const svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("class", "icon");
      svg.setAttribute("aria-hidden", "true");
      const use = document.createElementNS(SVG, "use");
      use.setAttribute("href", region.dataset.icons + "#" + ICONS[kind]);
      svg.append(use);
      toast.append(svg);
    }
    const text = document.createElement("p");
    text.textContent = message; // never innerHTML: messages may quote what people typed
    toast.append(text);
    const close = document.createElement("button");
    close.type = "button";
    close.className = "toast__close";
    close.setAttribute("aria-label", region.dataset.closeLabel || "×");
    close.textContent = "×";
    toast.append(close);

    let timer = null;
    const dismiss = () => {
      toast.classList.add("is-leaving");
      setTimeout(() => toast.remove(), 200);
    };
    const schedule = () => {
      // Errors stay until dismissed; the rest leave after a while, but never under the pointer
      // or the keyboard focus.
      if (kind !== "error" && kind !== "warning") timer = setTimeout(dismiss, 6000);
    };
    close.addEventListener("click", dismiss);
    toast.addEventListener("mouseenter", () => clearTimeout(timer));
    toast.addEventListener("focusin", () => clearTimeout(timer));
    toast.addEventListener("mouseleave", schedule);
    region.append(toast);
    schedule();
  }

  document.addEventListener("toasts", (event) => {
    for (const item of (event.detail && event.detail.items) || []) showToast(item.message, item.level);
  });
  // htmx does not swap error responses: say something unless the server already did.
  document.addEventListener("htmx:responseError", (event) => {
    const header = event.detail.xhr.getResponseHeader("HX-Trigger") || "";
    if (!header.includes("toasts")) {
      const region = document.getElementById("toasts");
      showToast(region && region.dataset.errorMessage, "error");
    }
  });
  document.addEventListener("htmx:sendError", () => {
    const region = document.getElementById("toasts");
    showToast(region && region.dataset.offlineMessage, "error");
  });

  // ---- "Load more": keep the reader's place -------------------------------------------------
  // The block is replaced by the next page's items: move focus to the first of them.
  let loadMore = null;
  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    if (target && target.matches("[data-load-more]")) {
      loadMore = { list: target.parentElement, before: target.previousElementSibling };
    }
  });
  document.addEventListener("htmx:afterSwap", () => {
    if (!loadMore) return;
    const { list, before } = loadMore;
    loadMore = null;
    const first = before ? before.nextElementSibling : list.firstElementChild;
    const focusable = first && (first.matches("a, button") ? first : first.querySelector("a, button"));
    if (focusable) focusable.focus({ preventScroll: true });
  });

  // ---- theme ----------------------------------------------------------------------------------
  function applyTheme(value) {
    if (value === "light" || value === "dark") root.dataset.theme = value;
    else delete root.dataset.theme;
    for (const button of document.querySelectorAll("[data-theme-switch] button[name=theme]")) {
      button.setAttribute("aria-pressed", String(button.value === value));
    }
    const scheme = document.querySelector('meta[name="color-scheme"]');
    if (scheme) scheme.content = value === "light" || value === "dark" ? value : "light dark";
    const background = getComputedStyle(root).getPropertyValue("--bg").trim();
    for (const meta of document.querySelectorAll('meta[name="theme-color"]')) {
      meta.removeAttribute("media");
      meta.content = background;
    }
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-theme-switch] button[name=theme]");
    if (button) applyTheme(button.value); // htmx posts the choice; the cookie keeps it
  });
  if (window.matchMedia) {
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
      if (!root.dataset.theme) applyTheme("system");
    });
  }

  // ---- scrolling rows of links (settings navigation and tabs on phones) ---------------------
  // Bring the current link into view, without moving the page.
  function revealCurrent(scope) {
    for (const row of scope.querySelectorAll(".side-nav ul, .tabs")) {
      const current = row.querySelector('[aria-current="page"]');
      if (current && row.scrollWidth > row.clientWidth) {
        row.scrollLeft = current.offsetLeft - (row.clientWidth - current.offsetWidth) / 2;
      }
    }
  }

  // ---- start ----------------------------------------------------------------------------------
  function start() {
    document.querySelectorAll("[data-menu]").forEach(setupMenu);
    setupDialogs(document);
    revealCurrent(document);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  // Content htmx swaps in gets the same treatment.
  document.addEventListener("htmx:load", (event) => {
    const element = event.detail.elt;
    if (!(element instanceof Element)) return;
    element.querySelectorAll("[data-menu]").forEach(setupMenu);
    setupDialogs(element);
  });

  if ("serviceWorker" in navigator && root.dataset.sw) {
    window.addEventListener("load", () => {
      navigator.serviceWorker.register(root.dataset.sw, { scope: "/" }).catch(() => undefined);
    });
  }
})();
