// The public draw page follows the draw by itself: every few seconds it asks live.json whether
// the log has grown and, when it has, swaps in the new live part of the page. Winners of a run
// that happens while the page is open appear one by one, the newest also in the card at the top
// of the page. Polling stops once the results are published, and pauses while the tab is hidden.
(function () {
  "use strict";

  var INTERVAL = 3000;
  var REVEAL_STEP = 400;
  var NEWEST = 5;  // as many as reading.NEWEST_WINNERS
  var root = document.querySelector("[data-draw-live]");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-url");
  var seq = root.getAttribute("data-seq");
  var state = root.getAttribute("data-state");

  function drawn(value) {
    return value === "drawn" || value === "published";
  }

  // The card at the top follows the reveal: the stratum being drawn and the newest winners first.
  function announce(row) {
    var stratum = root.querySelector("[data-now-stratum]");
    var newest = root.querySelector("[data-newest]");
    if (!stratum || !newest) { return; }
    stratum.textContent = row.getAttribute("data-stratum-name");
    var item = document.createElement("li");
    var ticket = document.createElement("span");
    ticket.className = "fw-semibold font-monospace";
    ticket.textContent = row.getAttribute("data-ticket");
    var label = document.createElement("span");
    label.className = "text-muted small";
    label.textContent = " " + row.getAttribute("data-label");
    item.appendChild(ticket);
    item.appendChild(label);
    newest.insertBefore(item, newest.firstChild);
    while (newest.children.length > NEWEST) { newest.removeChild(newest.lastChild); }
  }

  function reveal() {
    var rows = Array.prototype.slice.call(root.querySelectorAll("[data-reveal]"));
    var newest = root.querySelector("[data-newest]");
    if (newest) { newest.textContent = ""; }
    rows.forEach(function (row) { row.hidden = true; });
    rows.forEach(function (row, index) {
      window.setTimeout(function () { row.hidden = false; announce(row); }, (index + 1) * REVEAL_STEP);
    });
  }

  function update(data) {
    if (typeof data.html === "string") {
      var wasDrawn = drawn(state);
      var open = Array.prototype.map.call(root.querySelectorAll("details[id][open]"), function (details) {
        return details.id;
      });
      root.innerHTML = data.html;
      open.forEach(function (id) {
        var details = document.getElementById(id);
        if (details) { details.open = true; }
      });
      if (!wasDrawn && drawn(data.state)) { reveal(); }
    }
    seq = String(data.seq);
    state = data.state;
  }

  function schedule() {
    if (state !== "published") { window.setTimeout(poll, INTERVAL); }
  }

  function poll() {
    if (document.hidden) { schedule(); return; }
    // "no-cache": the browser asks again each time, with the ETag it holds (If-None-Match), and a
    // 304 while nothing changed costs the server no body; its JSON is taken from the browser's cache.
    window.fetch(url + "?seq=" + encodeURIComponent(seq), {
      headers: { "Accept": "application/json" }, cache: "no-cache", credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(update)
      .catch(function () { /* a lost connection: try again at the next tick */ })
      .then(schedule);
  }

  schedule();
}());
