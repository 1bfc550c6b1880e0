// Settings pages: on a phone the side navigation is one scrolling row; bring the current
// page's entry into view. The navigation works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const current = document.querySelector(".settings-nav [aria-current='page']");
  if (current && current.scrollIntoView) {
    current.scrollIntoView({ block: "nearest", inline: "center" });
  }
});
