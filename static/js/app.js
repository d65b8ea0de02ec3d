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

  // Print buttons are hidden until this script runs (without it the page says to use the browser's Print;
  // with it that sentence is only in the way on a small screen).
  function showPrintButtons(root) {
    root.querySelectorAll("[data-print][hidden]").forEach(function (button) {
      button.hidden = false;
    });
    root.querySelectorAll("[data-print-hint]").forEach(function (hint) {
      hint.hidden = true;
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

/* Controls that depend on this script: those for browsers without JavaScript (a button that reloads a
   list, say) step aside, since htmx does their work; share buttons (data-share-text) appear where the
   browser can open the phone's share sheet (Web Share: Zalo, Messenger, …). The copy button and the
   SMS link beside them work everywhere. */
(function () {
  "use strict";

  function prepare(root) {
    root.querySelectorAll("[data-without-js]").forEach(function (control) {
      control.hidden = true;
    });
    if (typeof navigator.share === "function") {
      root.querySelectorAll("[data-share-text][hidden]").forEach(function (button) {
        button.hidden = false;
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    prepare(document);
  });

  document.addEventListener("htmx:load", function (event) {
    prepare(event.detail.elt);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-share-text]");
    if (button && typeof navigator.share === "function") {
      // Closing the share sheet rejects the promise: nothing to do then.
      navigator.share({ text: button.getAttribute("data-share-text") }).catch(function () {});
    }
  });
})();

/* --- Register import: the upload's progress --- */
(function () {
  "use strict";

  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest ? event.target.closest("[data-upload]") : null;
    var bar = form ? form.querySelector("[data-upload-progress]") : null;
    if (bar && event.detail.lengthComputable) {
      bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    }
  });
})();

/* --- Answering: carried-over answers and "none of these" options ---
   Choosing an answer again confirms an answer carried over from the last round: a tap on the radio
   that is already chosen fires no "change", so one is sent for it (the autosave then saves and
   confirms it). In a checklist, an option that goes alone ("none of these", "not applicable":
   data-alone) unticks the others as it is ticked, and ticking another unticks it, before the
   autosave reads the ticks. Without JavaScript the hint under the checklist and the server's
   refusal say the same. */
(function () {
  "use strict";

  function carriedOver(question) {
    return !!question && !!question.querySelector(".carried__note");
  }

  document.addEventListener("click", function (event) {
    var radio = event.target.closest ? event.target.closest("input[type=radio]") : null;
    if (!radio || !radio.checked || radio.disabled) {
      return;
    }
    var question = radio.closest("[data-question]");
    // A click that changed the choice already fires "change"; this one only re-chose it.
    if (!carriedOver(question) || radio.getAttribute("data-was-checked") !== "true") {
      return;
    }
    radio.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // Note which radio was chosen before the click, to tell a re-choice from a change.
  function noteChosen(event) {
    var radio = event.target.closest ? event.target.closest("input[type=radio], label") : null;
    if (radio && radio.tagName === "LABEL") {
      radio = radio.control;
    }
    if (radio && radio.type === "radio") {
      radio.setAttribute("data-was-checked", radio.checked ? "true" : "false");
    }
  }
  document.addEventListener("pointerdown", noteChosen, true);
  document.addEventListener("keydown", function (event) {
    if (event.key === " " || event.key === "Enter") {
      noteChosen(event);
    }
  }, true);

  // Capture phase: the ticks are settled before the question's autosave (listening below) reads them.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.type !== "checkbox" || !box.checked) {
      return;
    }
    var question = box.closest("[data-question]");
    if (!question) {
      return;
    }
    var alone = box.hasAttribute("data-alone");
    question.querySelectorAll("input[type=checkbox]").forEach(function (other) {
      if (other !== box && other.checked && (alone || other.hasAttribute("data-alone"))) {
        other.checked = false;
      }
    });
  }, true);
})();

/* --- Monthly report drafts: each field saves itself as it is typed ---
   The htmx attributes in the page send one field at a time (data-report-field). Here: the revision
   each save carries (it only grows on this page, so the server can refuse an older save arriving
   after a newer one), saved / not saved per field and for the page (#report-save-status), retries
   with backoff after a network or server failure and at once when the connection returns, and a
   warning before leaving while something typed is not saved. The page's own buttons send every
   field with the next revisions too. */
(function () {
  "use strict";

  var RETRY_FIRST_MS = 2000;
  var RETRY_MAX_MS = 60000;
  var NOT_SAVED = ["dirty", "saving", "failed", "invalid", "refused"];
  var next = {};                // field → next revision to send
  var timers = {};              // field → pending retry
  var attempts = {};            // field → failures in a row
  var edits = {};               // field → changes typed so far
  var sent = {};                // field → changes included in the request in flight

  function region() {
    return document.getElementById("report-save-status");
  }

  function fieldOf(elt) {
    return elt && elt.getAttribute ? elt.getAttribute("data-report-field") : null;
  }

  function claimRevision(name) {
    var hidden = document.getElementById("rv-" + name);
    var known = hidden ? parseInt(hidden.value, 10) || 1 : 1;
    var revision = Math.max(next[name] || 0, known);
    next[name] = revision + 1;
    return String(revision);
  }

  function fields() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-report-field]"));
  }

  function stateOf(name) {
    var box = document.querySelector("[data-report-state-of='" + name + "']");
    return box ? box.getAttribute("data-save-state") : null;
  }

  function updateSummary() {
    var status = region();
    if (!status) {
      return;
    }
    var states = fields().map(function (elt) { return stateOf(fieldOf(elt)); });
    var text = "";
    var state = "";
    if (!navigator.onLine) {
      text = status.dataset.offline;
      state = "offline";
    } else if (states.some(function (s) { return s === "failed" || s === "invalid" || s === "refused"; })) {
      text = status.dataset.unsaved;
      state = "unsaved";
    } else if (states.some(function (s) { return s === "saving" || s === "dirty"; })) {
      text = status.dataset.saving;
      state = "saving";
    } else if (states.some(function (s) { return s === "saved"; })) {
      text = status.dataset.allSaved;
      state = "saved";
    }
    if (status.textContent !== text) {
      status.textContent = text;
    }
    status.setAttribute("data-state", state);
  }

  function setState(name, state, message) {
    var box = document.querySelector("[data-report-state-of='" + name + "']");
    if (!box) {
      return;
    }
    box.setAttribute("data-save-state", state);
    var line = document.getElementById("rs-" + name);
    if (line && message !== undefined) {
      line.textContent = message;
      line.setAttribute("data-state", state);
    } else if (line) {
      line.removeAttribute("data-state");
    }
    updateSummary();
  }

  function clearRetry(name, keepAttempts) {
    window.clearTimeout(timers[name]);
    delete timers[name];
    if (!keepAttempts) {
      delete attempts[name];
    }
  }

  // Send the field again from its element, so what is sent is what it holds now.
  function retry(name) {
    delete timers[name];
    var elt = document.getElementById("rf-" + name);
    if (elt && fieldOf(elt)) {
      htmx.trigger(elt, "reportRetry");
    }
  }

  function failed(event) {
    var name = fieldOf(event.detail.elt);
    var status = region();
    if (!name || !status) {
      return;
    }
    setState(name, "failed", status.dataset.notSaved);
    clearRetry(name, true);
    attempts[name] = (attempts[name] || 0) + 1;
    var delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * Math.pow(2, attempts[name] - 1));
    timers[name] = window.setTimeout(function () { retry(name); }, delay);
  }

  function edited(event) {
    var name = fieldOf(event.target);
    if (name && region()) {
      edits[name] = (edits[name] || 0) + 1;
      setState(name, "dirty");
    }
  }
  document.addEventListener("input", edited, true);
  document.addEventListener("change", edited, true);

  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    var name = fieldOf(elt);
    if (name) {
      event.detail.parameters["rev." + name] = claimRevision(name);
      sent[name] = edits[name] || 0;
      var status = region();
      setState(name, "saving", status ? status.dataset.saving : undefined);
    } else if (elt && elt.hasAttribute && elt.hasAttribute("data-report-form")) {
      // The page's Save and Submit buttons send every field: each with a revision newer than any sent.
      fields().forEach(function (field) {
        var fieldName = fieldOf(field);
        event.detail.parameters["rev." + fieldName] = claimRevision(fieldName);
      });
    }
  });

  // A refusal (409: changed elsewhere, or submitted meanwhile) carries a message for the field: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var elt = detail.requestConfig && detail.requestConfig.elt;
    if (detail.xhr.status === 409 && (fieldOf(elt) || (elt && elt.hasAttribute && elt.hasAttribute("data-report-form")))) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  function answeredHere(detail) {
    var xhr = detail.xhr;
    var asked = detail.requestConfig && detail.requestConfig.path;
    if (!xhr || !asked || !xhr.responseURL) {
      return true;
    }
    return new URL(xhr.responseURL).pathname === new URL(asked, window.location.href).pathname;
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var name = fieldOf(event.detail.elt);
    if (!name) {
      return;
    }
    var code = event.detail.xhr ? event.detail.xhr.status : 0;
    var status = region();
    if (code === 401 || code === 400 || (code >= 200 && code < 300 && !answeredHere(event.detail))) {
      // Logged out, or the form's token renewed elsewhere: retrying cannot help before a new log-in.
      clearRetry(name);
      setState(name, "failed", status ? status.dataset.sessionEnded : undefined);
      return;
    }
    if (code >= 200 && code < 300) {
      clearRetry(name);
      setState(name, (edits[name] || 0) > (sent[name] || 0) ? "dirty" : "saved");
    } else if (code === 422 || code === 409 || code === 403) {
      clearRetry(name);
      setState(name, code === 422 ? "invalid" : "refused");
    }
    // No answer, a time-out or a server error: "failed" retries.
  });

  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:timeout", failed);
  document.addEventListener("htmx:responseError", function (event) {
    var code = event.detail.xhr ? event.detail.xhr.status : 0;
    if ([400, 401, 403, 409, 422].indexOf(code) < 0) {
      failed(event);
    }
  });

  window.addEventListener("online", function () {
    fields().forEach(function (elt) {
      var name = fieldOf(elt);
      if (stateOf(name) === "failed" && timers[name] !== undefined) {
        clearRetry(name, true);
        retry(name);
      }
    });
    updateSummary();
  });
  window.addEventListener("offline", updateSummary);

  function unsaved() {
    return fields().some(function (elt) { return NOT_SAVED.indexOf(stateOf(fieldOf(elt))) >= 0; });
  }

  window.addEventListener("beforeunload", function (event) {
    if (unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Leaving through a boosted link or another form would drop what is not saved: ask first.
  // The report's own form sends every field, so it needs no question.
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    var status = region();
    if (!status || fieldOf(elt) || !unsaved()) {
      return;
    }
    if ((elt.tagName === "A" || elt.tagName === "FORM") && !elt.hasAttribute("data-report-form")) {
      if (!window.confirm(status.dataset.leave)) {
        event.preventDefault();
      }
    }
  });
})();
