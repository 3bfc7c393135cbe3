// The payment request form (staff's and the grantee's): invoice lines added and removed in the page
// (up to data-max-lines), each line's amount and the sum of the lines written as they are typed, and,
// on staff's form, the supplier found as its BIN/IIN is typed. Without it the form works the same:
// "More lines" and "Remove" send it to be shown again, and the server checks the total on sending.
(function () {
  "use strict";

  var Money = window.Money;

  function each(nodes, fn) { Array.prototype.forEach.call(nodes, fn); }

  function connectLines(box) {
    var list = box.querySelector("[data-lines-list]");
    var add = box.querySelector("[data-add-line]");
    var full = box.querySelector("[data-lines-full]");
    var max = parseInt(box.getAttribute("data-max-lines"), 10) || 1;
    var form = box.form || box.closest("form");
    var sumNode = form.querySelector("[data-lines-sum]");
    var total = form.querySelector("[data-total]");
    var mismatch = form.querySelector("[data-total-mismatch]");
    var money = Money.writer(box);

    function lines() { return list.querySelectorAll("[data-line]"); }

    function recompute() {
      var sum = 0;
      var complete = true;
      each(lines(), function (line) {
        var quantity = line.querySelector("[data-quantity]").value;
        var price = line.querySelector("[data-unit-price]").value;
        var q = Money.wholeNumber(quantity);
        var p = Money.wholeNumber(price);
        var amount = line.querySelector("[data-line-amount]");
        if (q !== null && p !== null) {
          sum += q * p;
          amount.textContent = money(q * p);
        } else {
          amount.textContent = "—";
          if (quantity.trim() || price.trim()) { complete = false; }
        }
      });
      sumNode.textContent = money(sum);
      var typed = total ? Money.wholeNumber(total.value) : null;
      if (mismatch) { mismatch.hidden = !(complete && typed !== null && typed !== sum); }
    }

    // Legends and the remove buttons' names follow the lines' order; the form's field names keep
    // their numbers (the server reads them in order, gaps and all).
    function renumber() {
      var all = lines();
      each(all, function (line, index) {
        var number = String(index + 1);
        line.querySelector("legend").textContent = line.getAttribute("data-legend").replace("{n}", number);
        line.querySelector("[data-remove-line]").setAttribute(
          "aria-label", line.getAttribute("data-remove-label").replace("{n}", number));
      });
      add.hidden = all.length >= max;
      if (full) { full.hidden = all.length < max; }
    }

    function nextIndex() {
      var highest = -1;
      each(list.querySelectorAll("[name^='lines-']"), function (input) {
        var match = /^lines-(\d+)-/.exec(input.name);
        if (match) { highest = Math.max(highest, parseInt(match[1], 10)); }
      });
      return highest + 1;
    }

    function addLine() {
      var all = lines();
      if (all.length >= max) { return; }
      var copy = all[all.length - 1].cloneNode(true);
      var index = nextIndex();
      each(copy.querySelectorAll("[name], [id], [for], [aria-describedby]"), function (node) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
          var value = node.getAttribute(attribute);
          if (value) { node.setAttribute(attribute, value.replace(/lines-\d+-/g, "lines-" + index + "-")); }
        });
      });
      each(copy.querySelectorAll("input"), function (input) {
        input.value = "";
        input.classList.remove("is-invalid");
        input.removeAttribute("aria-invalid");
        var described = (input.getAttribute("aria-describedby") || "").replace(/\S+-error/, "").trim();
        if (described) { input.setAttribute("aria-describedby", described); } else { input.removeAttribute("aria-describedby"); }
      });
      each(copy.querySelectorAll(".invalid-feedback"), function (node) { node.parentNode.removeChild(node); });
      list.appendChild(copy);
      renumber();
      recompute();
      copy.querySelector("input").focus();
    }

    function removeLine(line) {
      var all = Array.prototype.slice.call(lines());
      var position = all.indexOf(line);
      if (all.length > 1) {
        line.parentNode.removeChild(line);
        var next = all[position + 1] || all[position - 1];
        next.querySelector("input").focus();
      } else {
        each(line.querySelectorAll("input"), function (input) { input.value = ""; });
        line.querySelector("input").focus();
      }
      renumber();
      recompute();
    }

    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-line]");
      if (button) {
        event.preventDefault();
        removeLine(button.closest("[data-line]"));
      }
    });
    list.addEventListener("input", recompute);
    if (total) { total.addEventListener("input", recompute); }
    add.addEventListener("click", addLine);
    var more = box.querySelector("[data-more-lines]");
    if (more) { more.hidden = true; }
    renumber();
    recompute();
  }

  // Staff type the supplier's BIN/IIN: the server says whose it is (and the list follows), or that
  // nobody registered it, and the "Add a new supplier" link carries the number.
  function connectSupplierFinder(box) {
    var input = box.querySelector("input[name='supplier_bin']");
    var output = box.querySelector("[data-supplier-found]");
    var select = box.querySelector("select[name='supplier_id']");
    var addLink = box.querySelector("[data-add-supplier]");
    var asked = null;

    function show(answer) {
      output.textContent = answer ? answer.message : "";
      output.className = (answer && answer.found ? "text-success fw-semibold" : "text-danger");
      if (answer && answer.found && select) { select.value = String(answer.id); }
      if (answer && !answer.found && select) { select.value = "0"; }
      if (answer && answer.add_url && addLink) { addLink.href = answer.add_url; }
    }

    function find() {
      var number = input.value.replace(/\s+/g, "");
      if (number === asked) { return; }
      asked = number;
      if (number.length < 12) { show(null); return; }
      window.fetch(box.getAttribute("data-find-url") + "?bin_iin=" + encodeURIComponent(number), {
        credentials: "same-origin", headers: {"Accept": "application/json"}
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (answer) {
        if (asked === number) { show(answer); }
      }).catch(function () {
        show(null);  // a weak connection: the server checks the number when the form is sent
      });
    }

    input.addEventListener("input", find);
    input.addEventListener("change", find);
    find();
  }

  each(document.querySelectorAll("[data-lines]"), connectLines);
  each(document.querySelectorAll("[data-supplier-finder]"), connectSupplierFinder);
}());
