// A conversation thread (buyer page and seller admin): new messages appear without a reload, and "Sent" turns to
// "Read" once the other side has looked. Polls the thread's updates URL every few seconds while the tab is visible
// (a JSON answer: new messages as HTML, the last id, and up to when the other side has read).
(function () {
  "use strict";
  var thread = document.querySelector("[data-thread]");
  if (!thread || !window.fetch) return;
  var url = thread.dataset.updates;
  var lastId = parseInt(thread.dataset.lastId || "0", 10);
  var readLabel = thread.dataset.readLabel;
  var delay = 5000;
  var busy = false;

  function markRead(upTo) {
    if (upTo === null || upTo === undefined) return;
    thread.querySelectorAll("li.mine").forEach(function (item) {
      var receipt = item.querySelector("[data-receipt]");
      if (receipt && parseFloat(item.dataset.created) <= upTo) receipt.textContent = readLabel;
    });
  }

  function poll() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(url + "?after=" + lastId, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        if (data.html) {
          thread.insertAdjacentHTML("beforeend", data.html);
          thread.lastElementChild.scrollIntoView({ block: "nearest" });
        }
        lastId = data.last_id;
        markRead(data.read_up_to);
      })
      .catch(function () { /* offline for a moment: the next tick tries again */ })
      .then(function () { busy = false; });
  }

  setInterval(poll, delay);
  document.addEventListener("visibilitychange", poll);
})();
