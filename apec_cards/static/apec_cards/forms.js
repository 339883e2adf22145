/* The APEC card pages: parts of a form shown only for some answers (data-show-if="name=value value"),
   "select all" for the economies, and focus on the error summary or the result. Plain JavaScript;
   without it every part of the forms is shown and works. */
(function () {
  "use strict";

  function currentValue(form, name) {
    var checked = form.querySelector('input[type=radio][name="' + name + '"]:checked');
    if (checked) {
      return checked.value;
    }
    var select = form.querySelector('select[name="' + name + '"]');
    return select ? select.value : "";
  }

  function updateConditional(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (element) {
      var rule = element.getAttribute("data-show-if").split("=");
      var values = (rule[1] || "").split(" ");
      var show = values.indexOf(currentValue(form, rule[0])) !== -1;
      element.hidden = !show;
    });
  }

  function boxesFor(form, name) {
    return Array.prototype.slice.call(form.querySelectorAll('input[type=checkbox][name="' + name + '"]'));
  }

  function updateSelectAll(form, toggle) {
    var boxes = boxesFor(form, toggle.getAttribute("data-select-all"));
    var checked = boxes.filter(function (box) { return box.checked; }).length;
    toggle.checked = checked === boxes.length && boxes.length > 0;
    toggle.indeterminate = checked > 0 && checked < boxes.length;
  }

  document.querySelectorAll("form").forEach(function (form) {
    var toggles = Array.prototype.slice.call(form.querySelectorAll("[data-select-all]"));
    form.querySelectorAll("[data-js-only]").forEach(function (element) { element.hidden = false; });
    toggles.forEach(function (toggle) {
      updateSelectAll(form, toggle);
      toggle.addEventListener("change", function () {
        boxesFor(form, toggle.getAttribute("data-select-all")).forEach(function (box) {
          box.checked = toggle.checked;
        });
        toggle.indeterminate = false;
      });
    });
    if (form.querySelector("[data-show-if]")) {
      updateConditional(form);
    }
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (!target || !target.name) {
        return;
      }
      toggles.forEach(function (toggle) {
        if (toggle.getAttribute("data-select-all") === target.name) {
          updateSelectAll(form, toggle);
        }
      });
      updateConditional(form);
    });
  });

  var focus = document.getElementById("error-summary") || document.getElementById("upload-error") ||
    document.querySelector("details.transition-confirm[open] .is-invalid") || document.getElementById("result");
  if (focus) {
    focus.focus();
  }
})();
