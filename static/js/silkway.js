// Small behaviours the pages share, wired here rather than in inline handlers (the Content-Security-Policy
// allows no inline event handlers).
(function () {
  "use strict";
  // <select data-autosubmit>: submit its form on change (the language switcher).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // <button data-uncheck="selector">: before submitting, clear the checkboxes of its form matching the selector.
  document.querySelectorAll("[data-uncheck]").forEach(function (button) {
    button.addEventListener("click", function () {
      button.form.querySelectorAll(button.dataset.uncheck).forEach(function (box) { box.checked = false; });
    });
  });
})();
