// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to an error summary so screen-reader and keyboard users hear it first.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
  // A print button: the browser's print dialog also saves as PDF.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
});
// On a phone the menu starts closed; without this file it stays open.
document.addEventListener("DOMContentLoaded", function () {
  var menu = document.querySelector("details.menu");
  if (menu && window.matchMedia("(max-width: 700px)").matches) {
    menu.open = false;
  }
  // A table that scrolls sideways must be reachable by keyboard and named for a screen reader.
  document.querySelectorAll("main table").forEach(function (table) {
    if (table.scrollWidth > table.clientWidth + 1 && !table.hasAttribute("tabindex")) {
      table.setAttribute("tabindex", "0");
      var caption = table.querySelector("caption");
      table.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tabell");
    }
  });
});
