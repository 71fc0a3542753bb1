/* Report pages: autosave of the edit form and confirmation of buttons marked data-confirm.
   The form (#report-form) is marked dirty on input; every 30 s, when dirty, it is posted to its
   data-autosave-url (the CSRF token travels in the form data). The answer (JSON) gives the new version,
   which replaces the hidden version input, and a "Saved at hh:mm" note. On a conflict or a refusal the
   message is shown and autosaving stops; the Save button still works (the page works without JavaScript). */
(function () {
  "use strict";

  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });

  var form = document.getElementById("report-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var seconds = parseInt(form.getAttribute("data-autosave-seconds"), 10) || 30;
  var status = document.getElementById("autosave-status");
  var versionInput = form.querySelector("input[name=version]");
  var versionShown = document.getElementById("report-version");
  var savedShown = document.getElementById("report-saved-at");
  var edits = 0;
  var savedEdits = 0;
  var inflight = null;
  var stopped = false;
  var submitting = false;

  function isDirty() {
    return edits !== savedEdits;
  }

  function show(text, kind) {
    if (!status) {
      return;
    }
    status.textContent = text;
    status.classList.remove("saved", "failed");
    if (kind) {
      status.classList.add(kind);
    }
  }

  function clearMarks() {
    form.querySelectorAll(".autosave-invalid").forEach(function (input) {
      input.classList.remove("is-invalid", "autosave-invalid");
      input.removeAttribute("title");
    });
  }

  function markErrors(errors) {
    Object.keys(errors || {}).forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      if (input) {
        input.classList.add("is-invalid", "autosave-invalid");
        input.setAttribute("title", errors[name].join(" "));
      }
    });
  }

  function save() {
    if (stopped || inflight || submitting || !isDirty()) {
      return inflight;
    }
    var sentAt = edits;
    show(form.getAttribute("data-saving"));
    inflight = fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { status: response.status, data: data };
        });
      })
      .then(function (result) {
        var data = result.data;
        if (data.ok) {
          versionInput.value = data.version;
          if (versionShown) {
            versionShown.textContent = data.version;
          }
          if (savedShown) {
            savedShown.textContent = data.message;
          }
          savedEdits = sentAt;
          clearMarks();
          show(data.message, "saved");
        } else if (data.stop) {
          stopped = true;
          show(data.message, "failed");
        } else {
          savedEdits = sentAt; // wait for the next change before trying again
          clearMarks();
          markErrors(data.errors);
          show(data.message, "failed");
        }
      })
      .catch(function () {
        show(form.getAttribute("data-failed"), "failed");
      })
      .finally(function () {
        inflight = null;
      });
    return inflight;
  }

  form.addEventListener("input", function () {
    edits += 1;
  });

  var timer = window.setInterval(save, seconds * 1000);

  form.addEventListener("submit", function (event) {
    window.clearInterval(timer);
    if (inflight) {
      // Let the background save finish first: the form then posts the version it returned.
      event.preventDefault();
      var submitter = event.submitter || null;
      inflight.then(function () {
        submitting = true;
        form.requestSubmit(submitter);
      });
      return;
    }
    submitting = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (isDirty() && !submitting) {
      event.preventDefault();
      event.returnValue = form.getAttribute("data-leave-warning");
    }
  });

  // For tests and the curious: save now instead of waiting for the timer.
  form.reportAutosave = save;
})();
