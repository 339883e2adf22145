/* Behaviour every page shares, kept out of the HTML: the Content-Security-Policy runs scripts from the
   portal's own files only, never inline.
   - After a failed submission the focus goes to what needs attention, so that keyboard and screen-reader
     users start there: the element a page names in data-focus-first (a CSS selector), else the error
     summary.
   - A page may ask for its address to be replaced (data-replace-url), e.g. a new application saved as a
     draft, so that reloading shows the draft rather than posting again. */
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
});
