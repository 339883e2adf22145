/* Behaviour every page shares, kept out of the HTML: the Content-Security-Policy runs scripts from the
   portal's own files only, never inline.
   - After a failed submission the focus goes to what needs attention, so that keyboard and screen-reader
     users start there: the element a page names in data-focus-first (a CSS selector), else the error
     summary.
   - A page may ask for its address to be replaced (data-replace-url), e.g. a new application saved as a
     draft, so that reloading shows the draft rather than posting again.
   - A table wider than the screen scrolls in its .table-responsive box: that box is then a named region
     the keyboard can reach and scroll (WCAG 2.1.1), named after the table's caption.
   - On a phone, a list's search and filters are folded under their summary unless a filter is in use. */
document.addEventListener("DOMContentLoaded", function () {
  var marker = document.querySelector("[data-focus-first]");
  var target = (marker && document.querySelector(marker.dataset.focusFirst)) ||
    document.getElementById("error-summary");
  if (target) {
    target.focus();
  }
  var replace = document.querySelector("[data-replace-url]");
  if (replace && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", replace.dataset.replaceUrl);
  }
  function scrollableTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (caption && !box.hasAttribute("aria-label")) { box.setAttribute("aria-label", caption.textContent.trim()); }
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    });
  }
  scrollableTables();
  // Widths change after DOMContentLoaded (fonts, images) and with the window: look again each time.
  window.addEventListener("load", scrollableTables);
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(scrollableTables);
    document.querySelectorAll(".table-responsive").forEach(function (box) { observer.observe(box); });
  } else {
    window.addEventListener("resize", scrollableTables);
  }
  var filters = document.querySelector("details.filter-fold");
  if (filters && !filters.hasAttribute("data-active") && window.matchMedia("(max-width: 767.98px)").matches) {
    filters.open = false;
  }
});
