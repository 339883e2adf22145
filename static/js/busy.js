/* A busy state for every form that posts, in the portal and the back office: approving, issuing a permit
   or building an export takes seconds, and a second press would post twice.
   - When a form is submitted (and nothing else cancelled the submission: a confirmation answered "no",
     the browser's own validation, htmx taking it over), the pressed button shows a spinner, a status region
     announces the words of <meta name="busy-text">, the form is marked aria-busy, and any further submission
     of it is stopped.
   - The buttons are not disabled: a disabled button would drop its name and value from what is posted.
   - A response that is a file leaves the page where it is; the form is usable again after a while
     (BUSY_MS), and at once when the page is shown again from the browser's history. */
(function () {
  var BUSY_MS = 15000;
  var meta = document.querySelector('meta[name="busy-text"]');
  var busyText = (meta && meta.content) || "…";

  function announce(text) {
    var region = document.getElementById("busy-status");
    if (!region) {
      region = document.createElement("div");
      region.id = "busy-status";
      region.className = "busy-status";
      region.setAttribute("role", "status");
      document.body.appendChild(region);
    }
    region.textContent = text;
  }

  function release(form) {
    delete form.dataset.busy;
    form.removeAttribute("aria-busy");
    document.querySelectorAll(".is-busy").forEach(function (button) {
      if (button.form !== form) { return; }
      button.classList.remove("is-busy");
      button.removeAttribute("aria-disabled");
    });
    announce("");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") { return; }
    if (form.dataset.busy) { event.preventDefault(); return; }
    if (event.defaultPrevented || form.hasAttribute("data-no-busy")) { return; }
    form.dataset.busy = "1";
    form.setAttribute("aria-busy", "true");
    var button = event.submitter;
    if (button) {
      button.classList.add("is-busy");
      button.setAttribute("aria-disabled", "true");
    }
    announce(busyText);
    window.setTimeout(function () { release(form); }, BUSY_MS);
  });

  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-busy]").forEach(release);
  });
})();
