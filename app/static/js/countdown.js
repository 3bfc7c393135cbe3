// Live countdowns: every [data-countdown] element counts its data-remaining seconds (computed by
// the server, so a phone with a wrong clock still shows the right time) down to zero.
(function () {
  "use strict";

  var started = Date.now();

  function pad(number) {
    return number < 10 ? "0" + number : String(number);
  }

  function render(element) {
    var total = parseInt(element.getAttribute("data-remaining"), 10) || 0;
    var left = Math.max(0, total - Math.floor((Date.now() - started) / 1000));
    var parts = {
      days: String(Math.floor(left / 86400)),
      hours: pad(Math.floor((left % 86400) / 3600)),
      minutes: pad(Math.floor((left % 3600) / 60)),
      seconds: pad(left % 60)
    };
    Object.keys(parts).forEach(function (unit) {
      var node = element.querySelector('[data-unit="' + unit + '"]');
      if (node && node.textContent !== parts[unit]) {
        node.textContent = parts[unit];
      }
    });
    if (left === 0) {
      var units = element.querySelector("[data-countdown-units]");
      var done = element.querySelector("[data-countdown-done]");
      if (units) { units.hidden = true; }
      if (done) { done.hidden = false; }
    }
    return left > 0;
  }

  function start() {
    var running = Array.prototype.slice.call(document.querySelectorAll("[data-countdown]"));
    if (!running.length) { return; }
    var timer = window.setInterval(function () {
      running = running.filter(render);
      if (!running.length) { window.clearInterval(timer); }
    }, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
