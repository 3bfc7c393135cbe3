// Screening pages: the queue's filters apply as soon as one is chosen; a check's comment becomes
// required when the screener's judgement differs from the automatic result (an override); the first
// field with an error takes the focus.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-filters] select"), function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-check-review]"), function (check) {
    var automatic = check.getAttribute("data-automatic");
    var comment = check.querySelector("textarea");
    function update() {
      var chosen = check.querySelector("input[type=radio]:checked");
      var override = chosen !== null && chosen.value !== automatic;
      if (comment) {
        comment.required = override;
      }
    }
    check.addEventListener("change", update);
    update();
  });

  // A page shown again with errors opens at the first of them (the form's #first-error anchor);
  // its field takes the focus, so that the screener types the missing comment at once.
  // After the load: the browser's jump to the anchor would take the focus away again.
  window.addEventListener("load", function () {
    var invalid = document.querySelector("main [aria-invalid=true], main .is-invalid");
    if (invalid !== null) {
      invalid.focus({preventScroll: true});
    }
  });
}());
