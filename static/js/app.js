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

  // Print buttons are hidden until this script runs (without it the page says to use the browser's Print).
  function showPrintButtons(root) {
    root.querySelectorAll("[data-print][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    showPrintButtons(document);
  });

  document.addEventListener("htmx:load", function (event) {
    showPrintButtons(event.detail.elt);
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();

/* --- Autosave of self-assessment answers ---
   Each question saves itself through htmx attributes in the page (data-autosave). Here: the
   saved / not saved state of each question (data-save-state on its fieldset) and of the page
   (#save-status, aria-live), retries with backoff after a network or server failure, an
   immediate retry when the connection returns, and a warning before leaving while something
   typed is not saved yet. Conditional questions follow their out-of-band markers.
   Saves of a question are ordered: each sends the revision of the answer the page last saw
   (rev.<code>, updated out of band by every reply). A save refused as stale (412: an older
   save, or a colleague's answer, was stored meanwhile) brings the current revision; the
   question is then sent again with what its field holds now. */
(function () {
  "use strict";

  var RETRY_FIRST_MS = 2000;
  var RETRY_MAX_MS = 60000;
  var STALE = 412;
  var STALE_RESENDS = 5;  // in a row; beyond, something is wrong: back off like any failure
  var NOT_SAVED = ["dirty", "saving", "failed", "invalid"];
  var timers = new WeakMap();    // question → pending retry
  var attempts = new WeakMap();  // question → failures in a row
  var edits = new WeakMap();     // question → changes made so far
  var sent = new WeakMap();      // question → changes included in the last request sent
  var resends = new WeakMap();   // question → stale refusals in a row

  function region() {
    return document.getElementById("save-status");
  }

  function isAutosave(elt) {
    return !!elt && !!elt.hasAttribute && (elt.hasAttribute("data-autosave") || elt.hasAttribute("data-confirm-answer"));
  }

  // The question an autosave event belongs to. When the request's element was replaced meanwhile
  // (a confirm button), htmx re-fires the event on the question's fieldset.
  function questionOf(detail) {
    var elt = detail.elt;
    var question = elt && elt.closest ? elt.closest("[data-question]") : null;
    return question && (isAutosave(elt) || elt === question) ? question : null;
  }

  function inState(states) {
    return Array.prototype.filter.call(document.querySelectorAll("[data-question][data-save-state]"), function (q) {
      return states.indexOf(q.getAttribute("data-save-state")) >= 0;
    });
  }

  function updateSummary() {
    var status = region();
    if (!status) {
      return;
    }
    var failed = inState(["failed", "invalid"]).length;
    var text = "";
    var state = "";
    if (!navigator.onLine) {
      text = status.dataset.offline;
      state = "offline";
    } else if (failed) {
      text = failed === 1 ? status.dataset.unsavedOne : status.dataset.unsavedMany.replace("{n}", failed);
      state = "unsaved";
    } else if (inState(["saving", "dirty"]).length) {
      text = status.dataset.saving;
      state = "saving";
    } else if (inState(["saved"]).length) {
      text = status.dataset.allSaved;
      state = "saved";
    }
    if (status.textContent !== text) {
      status.textContent = text;
    }
    status.setAttribute("data-state", state);
  }

  function setState(question, state, message) {
    question.setAttribute("data-save-state", state);
    var status = question.querySelector(".save-status");
    if (status && message !== undefined) {
      status.textContent = message;
      status.setAttribute("data-state", state);
    } else if (status) {
      status.removeAttribute("data-state");
    }
    updateSummary();
  }

  function clearRetry(question, keepAttempts) {
    window.clearTimeout(timers.get(question));
    timers.delete(question);
    if (!keepAttempts) {
      attempts.delete(question);
    }
  }

  // Send the question again from its own element, so the value sent is what the field holds now.
  function retry(question) {
    timers.delete(question);
    if (!document.body.contains(question)) {
      return;
    }
    var source = question.hasAttribute("data-autosave") ? question : question.querySelector("[data-autosave]");
    if (source) {
      htmx.trigger(source, "autosaveRetry");
    }
  }

  function failed(event) {
    var question = questionOf(event.detail);
    var status = region();
    if (!question || !status) {
      return;
    }
    setState(question, "failed", status.dataset.notSaved);
    clearRetry(question, true);
    var count = (attempts.get(question) || 0) + 1;
    attempts.set(question, count);
    var delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * Math.pow(2, count - 1));
    timers.set(question, window.setTimeout(function () { retry(question); }, delay));
  }

  // Capture phase: counted before htmx (listening on the fieldset) sends the change.
  function edited(event) {
    var question = event.target.closest ? event.target.closest("[data-question]") : null;
    if (!question || !region() || !(isAutosave(question) || question.querySelector("[data-autosave]"))) {
      return;
    }
    edits.set(question, (edits.get(question) || 0) + 1);
    setState(question, "dirty");
  }
  document.addEventListener("input", edited, true);
  document.addEventListener("change", edited, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var question = questionOf(event.detail);
    var status = region();
    if (question && status) {
      sent.set(question, edits.get(question) || 0);
      setState(question, "saving", status.dataset.saving);
    }
  });

  // A refusal (403, 409) carries a message for the question's status, a stale save (412) the
  // current revision: swap them in.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var elt = detail.requestConfig && detail.requestConfig.elt;
    var refused = detail.xhr.status === 403 || detail.xhr.status === 409 || detail.xhr.status === STALE;
    if (refused && elt && (isAutosave(elt) || elt.hasAttribute("data-saves-answers"))) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  // A 2xx reached through a redirect is some other page (the log-in page, say), not our save.
  function answeredHere(detail) {
    var xhr = detail.xhr;
    var asked = detail.requestConfig && detail.requestConfig.path;
    if (!xhr || !asked || !xhr.responseURL) {
      return true;
    }
    return new URL(xhr.responseURL).pathname === new URL(asked, window.location.href).pathname;
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var question = questionOf(event.detail);
    var code = event.detail.xhr ? event.detail.xhr.status : 0;
    var status = region();
    if (!question) {
      return;
    }
    if (code === 401 || code === 400 || (code >= 200 && code < 300 && !answeredHere(event.detail))) {
      // Logged out (or the session, and with it the form's token, was renewed elsewhere): retrying
      // cannot help until the person logs in again. The answer stays on the page, marked not saved.
      clearRetry(question);
      setState(question, "failed", status ? status.dataset.sessionEnded : undefined);
      return;
    }
    if (code === STALE) {
      // The reply brought the current revision: send what the field holds now over it.
      var count = (resends.get(question) || 0) + 1;
      resends.set(question, count);
      if (count > STALE_RESENDS) {
        failed(event);
      } else {
        clearRetry(question, true);
        setState(question, "saving", status ? status.dataset.saving : undefined);
        window.setTimeout(function () { retry(question); }, 0);
      }
      return;
    }
    resends.delete(question);
    if (code >= 200 && code < 300) {
      clearRetry(question);
      setState(question, (edits.get(question) || 0) > (sent.get(question) || 0) ? "dirty" : "saved");
      // A confirmed answer's button is replaced, which drops keyboard focus: keep it on the question.
      var status = question.querySelector(".save-status");
      if (status && document.activeElement === document.body) {
        status.setAttribute("tabindex", "-1");
        status.focus();
      }
    } else if (code === 422 || code === 403 || code === 409) {
      clearRetry(question);
      setState(question, code === 422 ? "invalid" : "refused");
    }
    // No answer at all, a time-out or a server error: "failed" below retries.
  });

  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:timeout", failed);
  document.addEventListener("htmx:responseError", function (event) {
    var code = event.detail.xhr ? event.detail.xhr.status : 0;
    // 422, 403 and 409 carry an answer for the person; 400 and 401 need a new log-in (above).
    if ([400, 401, 403, 409, 422].indexOf(code) < 0) {
      failed(event);
    }
  });

  window.addEventListener("online", function () {
    inState(["failed"]).forEach(function (question) {
      clearRetry(question, true);
      retry(question);
    });
    updateSummary();
  });
  window.addEventListener("offline", updateSummary);
  document.addEventListener("DOMContentLoaded", updateSummary);
  document.addEventListener("htmx:afterSettle", updateSummary);

  // Show or hide conditional questions as their markers (swapped out of band) say.
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll("[data-shows]").forEach(function (marker) {
      var question = marker.closest("[data-question]");
      if (question) {
        question.hidden = marker.getAttribute("data-visible") !== "true";
      }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (inState(NOT_SAVED).length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Leaving through a boosted link or another form would drop what is not saved: ask first.
  // The answers form itself saves every answer of the page, so it needs no question.
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    var status = region();
    if (!status || isAutosave(elt) || !inState(NOT_SAVED).length) {
      return;
    }
    if ((elt.tagName === "A" || elt.tagName === "FORM") && !elt.hasAttribute("data-saves-answers")) {
      if (!window.confirm(status.dataset.leave)) {
        event.preventDefault();
      }
    }
  });
})();
