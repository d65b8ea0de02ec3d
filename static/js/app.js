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

/* --- Save as you type: the self-assessment's questions and the monthly report's fields ---
   Each unit of a page (a question, a report field) saves itself through htmx attributes in the
   page. Here, for either page: the saved / not saved state of each unit (data-save-state) and of
   the page (the page's aria-live status line), retries with backoff after a network or server
   failure, an immediate retry when the connection returns, and a warning before leaving while
   something typed is not saved yet. Saves of a unit are ordered by the revision each carries: a save
   refused as stale (412: an older save, or a colleague's answer, was stored meanwhile) brings the
   current revision, and the unit is sent again with what its field holds now.

   A page is described by: status (the id of its status line), unit (the selector of a unit, which
   holds data-save-state and a .save-status line), sources (the selector of the element in a unit
   that sends it), isSource(elt) (an element whose requests save its unit, a source or a button that
   stands in for it), retryEvent (the event that makes a source send again), form (the attribute of the page's
   own form, which sends every unit), swapCodes (refusals whose reply is shown in the unit), unsaved
   (the states that keep the page from being left without a question) and failing (those the
   status line counts as not saved: its data-unsaved, or data-unsaved-one and -many). */
(function () {
  "use strict";

  function saveAsYouType(page) {
    var RETRY_FIRST_MS = 2000;
    var RETRY_MAX_MS = 60000;
    var STALE = 412;
    var STALE_RESENDS = 5;  // in a row; beyond, something is wrong: back off like any failure
    var timers = new Map();    // unit → pending retry
    var attempts = new Map();  // unit → failures in a row
    var edits = new Map();     // unit → changes made so far
    var sent = new Map();      // unit → changes included in the last request sent
    var resends = new Map();   // unit → stale refusals in a row

    function region() {
      return document.getElementById(page.status);
    }

    function sourceIn(unit) {
      return unit.matches(page.sources) ? unit : unit.querySelector(page.sources);
    }

    // The unit a request belongs to. When the request's element was replaced meanwhile (a confirm
    // button), htmx re-fires the event on the unit itself.
    function unitOf(detail) {
      var elt = detail.elt;
      var unit = elt && elt.closest ? elt.closest(page.unit) : null;
      return unit && (page.isSource(elt) || elt === unit) ? unit : null;
    }

    function inState(states) {
      return Array.prototype.filter.call(document.querySelectorAll(page.unit + "[data-save-state]"), function (unit) {
        return states.indexOf(unit.getAttribute("data-save-state")) >= 0;
      });
    }

    function updateSummary() {
      var status = region();
      if (!status) {
        return;
      }
      var failing = inState(page.failing).length;
      var text = "";
      var state = "";
      if (!navigator.onLine) {
        text = status.dataset.offline;
        state = "offline";
      } else if (failing) {
        text = status.dataset.unsaved ||
          (failing === 1 ? status.dataset.unsavedOne : status.dataset.unsavedMany.replace("{n}", failing));
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

    function setState(unit, state, message) {
      unit.setAttribute("data-save-state", state);
      var line = unit.querySelector(".save-status");
      if (line && message !== undefined) {
        line.textContent = message;
        line.setAttribute("data-state", state);
      } else if (line) {
        line.removeAttribute("data-state");
      }
      updateSummary();
    }

    function clearRetry(unit, keepAttempts) {
      window.clearTimeout(timers.get(unit));
      timers.delete(unit);
      if (!keepAttempts) {
        attempts.delete(unit);
      }
    }

    // Send the unit again from its own element, so what is sent is what the field holds now.
    function retry(unit) {
      timers.delete(unit);
      var source = document.body.contains(unit) ? sourceIn(unit) : null;
      if (source) {
        htmx.trigger(source, page.retryEvent);
      }
    }

    function failed(event) {
      var unit = unitOf(event.detail);
      var status = region();
      if (!unit || !status) {
        return;
      }
      setState(unit, "failed", status.dataset.notSaved);
      clearRetry(unit, true);
      var count = (attempts.get(unit) || 0) + 1;
      attempts.set(unit, count);
      var delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * Math.pow(2, count - 1));
      timers.set(unit, window.setTimeout(function () { retry(unit); }, delay));
    }

    // Capture phase: counted before htmx sends the change.
    function edited(event) {
      var unit = event.target.closest ? event.target.closest(page.unit) : null;
      if (!unit || !region() || !sourceIn(unit)) {
        return;
      }
      edits.set(unit, (edits.get(unit) || 0) + 1);
      setState(unit, "dirty");
    }
    document.addEventListener("input", edited, true);
    document.addEventListener("change", edited, true);

    document.addEventListener("htmx:beforeRequest", function (event) {
      var unit = unitOf(event.detail);
      var status = region();
      if (unit && status) {
        sent.set(unit, edits.get(unit) || 0);
        setState(unit, "saving", status.dataset.saving);
      }
    });

    function ownForm(elt) {
      return !!elt && !!elt.hasAttribute && elt.hasAttribute(page.form);
    }

    // A refusal carries a message for the unit's status line, a stale save (412) the current
    // revision: swap them in.
    document.addEventListener("htmx:beforeSwap", function (event) {
      var detail = event.detail;
      var elt = detail.requestConfig && detail.requestConfig.elt;
      if (page.swapCodes.indexOf(detail.xhr.status) >= 0 && elt && (page.isSource(elt) || ownForm(elt))) {
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
      var unit = unitOf(event.detail);
      var code = event.detail.xhr ? event.detail.xhr.status : 0;
      var status = region();
      if (!unit) {
        return;
      }
      if (code === 401 || code === 400 || (code >= 200 && code < 300 && !answeredHere(event.detail))) {
        // Logged out (or the session, and with it the form's token, was renewed elsewhere): retrying
        // cannot help until the person logs in again. What was typed stays on the page, marked not saved.
        clearRetry(unit);
        setState(unit, "failed", status ? status.dataset.sessionEnded : undefined);
        return;
      }
      if (code === STALE) {
        // The reply brought the current revision: send what the field holds now over it.
        var count = (resends.get(unit) || 0) + 1;
        resends.set(unit, count);
        if (count > STALE_RESENDS) {
          failed(event);
        } else {
          clearRetry(unit, true);
          setState(unit, "saving", status ? status.dataset.saving : undefined);
          window.setTimeout(function () { retry(unit); }, 0);
        }
        return;
      }
      resends.delete(unit);
      if (code >= 200 && code < 300) {
        clearRetry(unit);
        setState(unit, (edits.get(unit) || 0) > (sent.get(unit) || 0) ? "dirty" : "saved");
        // A confirmed answer's button is replaced, which drops keyboard focus: keep it on the unit.
        var line = unit.querySelector(".save-status");
        if (line && document.activeElement === document.body) {
          line.setAttribute("tabindex", "-1");
          line.focus();
        }
      } else if (code === 422 || code === 403 || code === 409) {
        clearRetry(unit);
        setState(unit, code === 422 ? "invalid" : "refused");
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

    // Back online: what waits for a retry is sent at once (not what waits for a new log-in).
    window.addEventListener("online", function () {
      inState(["failed"]).forEach(function (unit) {
        if (timers.has(unit)) {
          clearRetry(unit, true);
          retry(unit);
        }
      });
      updateSummary();
    });
    window.addEventListener("offline", updateSummary);
    document.addEventListener("DOMContentLoaded", updateSummary);
    document.addEventListener("htmx:afterSettle", updateSummary);

    window.addEventListener("beforeunload", function (event) {
      if (inState(page.unsaved).length) {
        event.preventDefault();
        event.returnValue = "";
      }
    });

    // Leaving through a boosted link or another form would drop what is not saved: ask first.
    // The page's own form sends every unit, so it needs no question.
    document.addEventListener("htmx:confirm", function (event) {
      var elt = event.detail.elt;
      var status = region();
      if (!status || page.isSource(elt) || !inState(page.unsaved).length) {
        return;
      }
      if ((elt.tagName === "A" || elt.tagName === "FORM") && !ownForm(elt)) {
        if (!window.confirm(status.dataset.leave)) {
          event.preventDefault();
        }
      }
    });
  }

  /* The self-assessment: each question saves itself (data-autosave, or a carried-over answer's confirm
     button). The revision each save sends (rev.<code>) is updated out of band by every reply.
     Conditional questions follow their out-of-band markers. */
  saveAsYouType({
    status: "save-status",
    unit: "[data-question]",
    sources: "[data-autosave]",
    isSource: function (elt) {
      return !!elt && !!elt.hasAttribute && (elt.hasAttribute("data-autosave") || elt.hasAttribute("data-confirm-answer"));
    },
    retryEvent: "autosaveRetry",
    form: "data-saves-answers",
    swapCodes: [403, 409, 412],
    unsaved: ["dirty", "saving", "failed", "invalid"],
    failing: ["failed", "invalid"]
  });

  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll("[data-shows]").forEach(function (marker) {
      var question = marker.closest("[data-question]");
      if (question) {
        question.hidden = marker.getAttribute("data-visible") !== "true";
      }
    });
  });

  /* A monthly report draft: each field saves itself as it is typed (data-report-field). Each save
     carries the field's next revision, which only grows on this page, so the server can refuse an
     older save arriving after a newer one; the page's Save and Submit buttons send every field, each
     with a revision newer than any sent. */
  (function () {
    var next = {};  // field → next revision to send

    function claimRevision(name) {
      var hidden = document.getElementById("rv-" + name);
      var known = hidden ? parseInt(hidden.value, 10) || 1 : 1;
      var revision = Math.max(next[name] || 0, known);
      next[name] = revision + 1;
      return String(revision);
    }

    function fieldOf(elt) {
      return elt && elt.getAttribute ? elt.getAttribute("data-report-field") : null;
    }

    saveAsYouType({
      status: "report-save-status",
      unit: "[data-report-state-of]",
      sources: "[data-report-field]",
      isSource: function (elt) {
        return !!fieldOf(elt);
      },
      retryEvent: "reportRetry",
      form: "data-report-form",
      swapCodes: [409],
      unsaved: ["dirty", "saving", "failed", "invalid", "refused"],
      failing: ["failed", "invalid", "refused"]
    });

    document.addEventListener("htmx:configRequest", function (event) {
      var elt = event.detail.elt;
      var name = fieldOf(elt);
      if (name) {
        event.detail.parameters["rev." + name] = claimRevision(name);
      } else if (elt && elt.hasAttribute && elt.hasAttribute("data-report-form")) {
        document.querySelectorAll("[data-report-field]").forEach(function (field) {
          event.detail.parameters["rev." + fieldOf(field)] = claimRevision(fieldOf(field));
        });
      }
    });
  }());
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
