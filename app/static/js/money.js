// Tenge in the page as the server writes it: `Money.wholeNumber` reads what people type ("150 000",
// "150000 ₸"), `Money.writer(element)` writes amounts like the server's `money` filter. The element
// carries the language's grouping character and pattern (data-money-group, data-money-pattern
// "{n} ₸"), so that a live sum and a saved one look the same whatever the browser's Intl thinks.
(function () {
  "use strict";

  function wholeNumber(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0\u202f₸]/g, "");
    return /^\d+$/.test(cleaned) ? parseInt(cleaned, 10) : null;
  }

  function writer(element) {
    var group = element.getAttribute("data-money-group") || "\u00a0";
    var pattern = element.getAttribute("data-money-pattern") || "{n}\u00a0₸";
    return function (amount) {
      var digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, group);
      return (amount < 0 ? "-" : "") + pattern.replace("{n}", digits);
    };
  }

  window.Money = {wholeNumber: wholeNumber, writer: writer};
}());
