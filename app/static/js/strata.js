// Stratum forms: the districts list offers only the districts of the chosen region, and is
// hidden for a region without districts in the data.
(function () {
  "use strict";

  function connect(form) {
    var region = form.querySelector("[data-region-select]");
    var districts = form.querySelector("[data-district-select]");
    if (!region || !districts) { return; }
    var wrapper = districts.closest(".mb-3") || districts;

    function sync() {
      var any = false;
      Array.prototype.forEach.call(districts.querySelectorAll("optgroup"), function (group) {
        var first = group.querySelector("option");
        var match = Boolean(first) && first.getAttribute("data-region") === region.value;
        any = any || match;
        group.hidden = !match;
        group.disabled = !match;
        if (!match) {
          Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
            option.selected = false;
          });
        }
      });
      wrapper.hidden = !any;
    }

    region.addEventListener("change", sync);
    sync();
  }

  Array.prototype.forEach.call(document.querySelectorAll("form"), connect);
}());
