// The application form: says at once what the eligibility checks think of the IIN, the region
// and the budget (the server answers; nothing is saved), keeps the budget total up to date and lets
// the applicant add and remove purchase lines. Everything works without it too: the server says
// the same when the step is saved.
(function () {
  "use strict";

  var DELAY = 400;

  function debounce(fn) {
    var timer = null;
    return function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fn, DELAY);
    };
  }

  function wholeNumber(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0\u202f₸]/g, "");
    return /^\d+$/.test(cleaned) ? parseInt(cleaned, 10) : null;
  }

  // Writes whole tenge as the server's `money` filter does: the form carries its grouping
  // character and pattern (data-money-group, data-money-pattern "{n} ₸"), so that a live total
  // and a saved one look the same whatever the browser's Intl thinks of the language.
  function moneyWriter(form) {
    var group = form.getAttribute("data-money-group") || "\u00a0";
    var pattern = form.getAttribute("data-money-pattern") || "{n}\u00a0₸";
    return function (amount) {
      var digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, group);
      return (amount < 0 ? "-" : "") + pattern.replace("{n}", digits);
    };
  }

  // The server's error under a field is about the value it was sent: once the value changes,
  // the live check speaks instead.
  function clearServerError(input) {
    var error = document.getElementById(input.id + "-error");
    if (error) { error.parentNode.removeChild(error); }
    input.classList.remove("is-invalid");
    input.removeAttribute("aria-invalid");
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== input.id + "-error";
    });
    if (described.length) { input.setAttribute("aria-describedby", described.join(" ")); } else { input.removeAttribute("aria-describedby"); }
  }

  // A refused save comes back as the same page: bring its first error into view.
  function showFirstError(form) {
    var error = form.querySelector("[data-form-error], .invalid-feedback.d-block");
    if (!error) { return; }
    error.scrollIntoView({block: "center"});
    var input = error.id && error.id.slice(-6) === "-error" ? document.getElementById(error.id.slice(0, -6)) : null;
    if (input && input.focus) { input.focus({preventScroll: true}); }
  }

  function show(form, code, checks) {
    var output = form.querySelector('[data-check-output="' + code + '"]');
    if (!output) { return; }
    output.textContent = "";
    checks.forEach(function (check) {
      var line = document.createElement("p");
      line.className = "mb-1 " + (check.ok === true ? "text-success" : check.ok === false ? "text-danger fw-semibold" : "text-muted");
      line.textContent = check.message;
      output.appendChild(line);
    });
  }

  function ask(form, values) {
    return window.fetch(form.getAttribute("data-check-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": form.getAttribute("data-csrf")},
      body: JSON.stringify(values)
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).catch(function () {
      return null;  // a weak connection: the server checks again on save
    });
  }

  function connectIin(form) {
    var input = form.querySelector('[data-check="iin"]');
    if (!input) { return; }
    var last = null;
    var sent = input.value.replace(/\s+/g, "");
    var check = function () {
      var value = input.value.replace(/\s+/g, "");
      if (value === last) { return; }
      last = value;
      if (!value) { show(form, "iin", []); return; }
      ask(form, {iin: value}).then(function (answer) {
        if (!answer || value !== last) { return; }
        show(form, "iin", answer.checks);
        var birth = form.querySelector("[data-identity-birth-date]");
        var sex = form.querySelector("[data-identity-sex]");
        if (birth) { birth.textContent = answer.identity ? answer.identity.birth_date : "—"; }
        if (sex) { sex.textContent = answer.identity ? answer.identity.sex : "—"; }
      });
    };
    var later = debounce(check);
    input.addEventListener("input", function () {
      var value = input.value.replace(/\s+/g, "");
      if (value !== sent) { clearServerError(input); }
      if (value.length >= 12) { later(); }
    });
    input.addEventListener("blur", check);
    input.addEventListener("change", check);
  }

  function connectRegion(form) {
    var region = form.querySelector('[data-check="region"]');
    var district = form.querySelector('[data-check="district"]');
    if (!region) { return; }
    var check = debounce(function () {
      if (!region.value) { show(form, "region", []); return; }
      ask(form, {region_code: region.value, district_code: district ? district.value : ""}).then(function (answer) {
        if (answer) { show(form, "region", answer.checks); }
      });
    });
    region.addEventListener("change", check);
    if (district) { district.addEventListener("change", check); }
  }

  function renumber(container) {
    var lines = container.querySelectorAll("[data-budget-line]");
    Array.prototype.forEach.call(lines, function (line, index) {
      var legend = line.querySelector("legend");
      var template = line.getAttribute("data-legend");
      if (legend && template) { legend.textContent = template.replace("{n}", String(index + 1)); }
      var remove = line.querySelector("[data-remove-line]");
      if (remove) { remove.hidden = false; }
    });
  }

  function connectBudget(form) {
    if (!form.hasAttribute("data-budget")) { return; }
    var container = form.querySelector("[data-budget-lines]");
    var totalNode = form.querySelector("[data-budget-total]");
    var money = moneyWriter(form);
    var lastTotal = null;

    var check = debounce(function () {
      var total = lastTotal;
      ask(form, {budget_total: total}).then(function (answer) {
        if (answer && total === lastTotal) { show(form, "budget", answer.checks); }
      });
    });

    function recompute() {
      var total = 0;
      var complete = true;
      Array.prototype.forEach.call(container.querySelectorAll("[data-budget-line]"), function (line) {
        var quantity = line.querySelector("[data-quantity]");
        var price = line.querySelector("[data-unit-price]");
        var lineTotal = line.querySelector("[data-line-total]");
        var q = wholeNumber(quantity && quantity.value);
        var p = wholeNumber(price && price.value);
        var empty = !(quantity && quantity.value.trim()) && !(price && price.value.trim());
        if (q !== null && p !== null) {
          total += q * p;
          if (lineTotal) { lineTotal.textContent = money(q * p); }
        } else {
          if (!empty) { complete = false; }
          if (lineTotal) { lineTotal.textContent = "—"; }
        }
      });
      if (totalNode) { totalNode.textContent = money(total); }
      if (complete && total !== lastTotal) {
        lastTotal = total;
        if (total > 0) { check(); } else { show(form, "budget", []); }
      }
    }

    function nextIndex() {
      var highest = -1;
      Array.prototype.forEach.call(container.querySelectorAll("[name^='lines-']"), function (input) {
        var match = /^lines-(\d+)-/.exec(input.name);
        if (match) { highest = Math.max(highest, parseInt(match[1], 10)); }
      });
      return highest + 1;
    }

    function addLine() {
      var lines = container.querySelectorAll("[data-budget-line]");
      var model = lines[lines.length - 1];
      if (!model) { return; }
      var index = nextIndex();
      var copy = model.cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll("[name], [id], [for], [aria-describedby]"), function (node) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
          var value = node.getAttribute(attribute);
          if (value) { node.setAttribute(attribute, value.replace(/lines-\d+-/g, "lines-" + index + "-")); }
        });
      });
      Array.prototype.forEach.call(copy.querySelectorAll("input"), function (input) {
        input.value = "";
        input.classList.remove("is-invalid");
        input.removeAttribute("aria-invalid");
      });
      Array.prototype.forEach.call(copy.querySelectorAll(".invalid-feedback"), function (node) {
        node.parentNode.removeChild(node);
      });
      container.appendChild(copy);
      renumber(container);
      recompute();
      var first = copy.querySelector("input");
      if (first) { first.focus(); }
    }

    function removeLine(line) {
      if (container.querySelectorAll("[data-budget-line]").length > 1) {
        line.parentNode.removeChild(line);
      } else {
        Array.prototype.forEach.call(line.querySelectorAll("input"), function (input) { input.value = ""; });
      }
      renumber(container);
      recompute();
    }

    container.addEventListener("input", recompute);
    container.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-line]");
      if (button) { removeLine(button.closest("[data-budget-line]")); }
    });
    var add = form.querySelector("[data-add-line]");
    if (add) {
      add.hidden = false;
      add.addEventListener("click", addLine);
      var more = form.querySelector("[data-more-lines]");
      if (more) { more.hidden = true; }
    }
    renumber(container);
    recompute();
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-apply-form]"), function (form) {
    connectIin(form);
    connectRegion(form);
    connectBudget(form);
    showFirstError(form);
  });
}());
