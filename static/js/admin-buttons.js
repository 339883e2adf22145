/* The buttons of [data-transition-form] in the back office: a required comment is asked for before posting.
   Buttons with data-confirm there, or inside a [data-confirm-form], ask before they post. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-transition-form]").forEach(function (form) {
    var comment = form.querySelector("textarea[name=comment]");
    comment.addEventListener("input", function () { comment.setCustomValidity(""); });
    form.querySelectorAll("button[name=transition]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (button.dataset.comment === "required" && !comment.value.trim()) {
          event.preventDefault();
          comment.setCustomValidity(form.dataset.commentMessage);
          comment.reportValidity();
          return;
        }
        if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
          event.preventDefault();
        }
      });
    });
  });
  document.querySelectorAll("[data-confirm-form] button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var form = button.form;
      if (form && !form.checkValidity()) { return; }  // the browser says what is missing first
      if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
    });
  });
});
