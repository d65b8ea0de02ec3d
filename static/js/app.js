/* coopdx behaviour: every handler lives here (the CSP forbids inline scripts). */
(function () {
  "use strict";

  // Move focus to the first problem so keyboard and screen-reader users land on it.
  function focusFirstError(root) {
    var summary = root.querySelector("[data-error-summary]");
    var invalid = root.querySelector("[aria-invalid='true']");
    var target = invalid || summary;
    if (target) {
      target.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusFirstError(document);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    focusFirstError(event.detail.elt || document);
  });

  // Copy-to-clipboard buttons next to shareable links (invitations, password resets).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) {
      return;
    }
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field) {
      return;
    }
    field.select();
    var done = function () {
      button.textContent = button.getAttribute("data-copied-label") || button.textContent;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        document.execCommand("copy");
        done();
      });
    } else {
      document.execCommand("copy");
      done();
    }
  });

  // Submit a filter form when a select changes (the form still has a submit button without JS).
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) {
      htmx.trigger(select.form, "submit");
    }
  });
})();
