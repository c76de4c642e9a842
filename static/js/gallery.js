// Product page gallery (templates/marketplace/product_detail.html): thumbnails switch the main picture; the main
// picture opens the enlarged one in a <dialog> (Esc, the close button or a click beside the picture closes it).
// Wired here: the Content-Security-Policy allows no inline event handlers.
(function () {
  "use strict";
  document.querySelectorAll("[data-gallery]").forEach(function (gallery) {
    var main = gallery.querySelector("[data-gallery-main]");
    var zoom = gallery.querySelector("[data-gallery-zoom]");
    var dialog = gallery.querySelector("[data-gallery-dialog]");
    if (!main || !zoom) return;
    var full = dialog && dialog.querySelector("[data-gallery-full]");
    var original = dialog && dialog.querySelector("[data-gallery-original]");
    var close = dialog && dialog.querySelector("[data-gallery-close]");
    var thumbs = gallery.querySelectorAll("[data-gallery-thumb]");

    function show(thumb) {
      main.src = thumb.dataset.src;
      main.srcset = thumb.dataset.srcset;
      main.alt = thumb.dataset.alt;
      if (full) { full.srcset = thumb.dataset.srcset; full.alt = thumb.dataset.alt; }
      if (original) original.href = thumb.dataset.original;
      thumbs.forEach(function (other) {
        if (other === thumb) other.setAttribute("aria-current", "true");
        else other.removeAttribute("aria-current");
      });
    }
    thumbs.forEach(function (thumb, index) {
      thumb.addEventListener("click", function () { show(thumb); });
      // Arrow keys move between thumbnails (and show the picture), like a tab list.
      thumb.addEventListener("keydown", function (event) {
        var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
        if (!step) return;
        if (document.dir === "rtl" && (event.key === "ArrowRight" || event.key === "ArrowLeft")) step = -step;
        var next = thumbs[(index + step + thumbs.length) % thumbs.length];
        event.preventDefault();
        next.focus();
        show(next);
      });
    });

    if (!dialog || typeof dialog.showModal !== "function") {
      // No <dialog> support: the main picture opens the original file instead.
      zoom.addEventListener("click", function () { if (original) window.location.href = original.href; });
      return;
    }
    zoom.addEventListener("click", function () {
      if (full) full.loading = "eager";
      dialog.showModal();
      if (close) close.focus();
    });
    if (close) close.addEventListener("click", function () { dialog.close(); });
    // A click on the backdrop (the dialog element itself, outside its content) closes it; Esc closes it natively.
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
    dialog.addEventListener("close", function () { zoom.focus(); });
  });
})();
