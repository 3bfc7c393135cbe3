// Screening pages: the queue's filters apply as soon as one is chosen; a check's comment becomes
// required when the screener's judgement differs from the automatic result (an override).
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-filters] select"), function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("form[data-check-review]"), function (form) {
    var automatic = form.getAttribute("data-automatic");
    var comment = form.querySelector("textarea");
    function update() {
      var chosen = form.querySelector("input[type=radio]:checked");
      var override = chosen !== null && chosen.value !== automatic;
      if (comment) {
        comment.required = override;
      }
    }
    form.addEventListener("change", update);
    update();
  });
}());
