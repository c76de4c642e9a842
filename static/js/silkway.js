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
(function () {
  "use strict";
  // <details data-open-wide>: open on wide screens (search filters beside the results), a drawer on phones.
  if (window.matchMedia && window.matchMedia("(min-width: 901px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (drawer) { drawer.open = true; });
  }
  // <input data-autocomplete="url" list="id">: suggestions from a small JSON endpoint as the buyer types.
  document.querySelectorAll("input[data-autocomplete]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list")), timer;
    if (!list || !window.fetch) return;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (input.value.trim().length < 2) return;
      timer = setTimeout(function () {
        fetch(input.dataset.autocomplete + "?q=" + encodeURIComponent(input.value))
          .then(function (r) { return r.ok ? r.json() : { terms: [], categories: [] }; })
          .then(function (data) {
            list.innerHTML = "";
            data.terms.concat(data.categories.map(function (c) { return c.name; })).forEach(function (text) {
              var option = document.createElement("option"); option.value = text; list.appendChild(option);
            });
          });
      }, 150);
    });
  });
})();
