// Every scrolling table wrapper (.table-responsive) can be reached and scrolled with the keyboard:
// focusable, a group named after the table's caption or the heading above it (a group, not a
// region: the section around it often is a region of that name already). Also for tables added
// later (the live draw page).
(function () {
  "use strict";

  function headingBefore(element) {
    var headings = document.querySelectorAll("main h1, main h2, main h3, main h4, main h5, main h6");
    var found = null;
    headings.forEach(function (heading) {
      if (heading.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) {
        found = heading;
      }
    });
    return found;
  }

  function label(wrapper) {
    if (wrapper.hasAttribute("tabindex")) {
      return;
    }
    wrapper.setAttribute("tabindex", "0");
    if (!wrapper.hasAttribute("role")) {
      wrapper.setAttribute("role", "group");
    }
    if (wrapper.hasAttribute("aria-label") || wrapper.hasAttribute("aria-labelledby")) {
      return;
    }
    var source = wrapper.querySelector("caption") || headingBefore(wrapper);
    var name = (source ? source.textContent : document.title).replace(/\s+/g, " ").trim();
    wrapper.setAttribute("aria-label", name);
  }

  function labelAll(root) {
    if (root.matches && root.matches(".table-responsive")) {
      label(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll(".table-responsive").forEach(label);
    }
  }

  function start() {
    labelAll(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(labelAll);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
