// Saves a draft form on the server while the user types, so nothing typed is lost.
// The form keeps working without this script (Save draft posts it as usual).
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = form.querySelector(".autosave-status");
  var revision = form.querySelector("input[name=revision]");
  // Every save this page sends carries a higher count, so that the server keeps the newest
  // when an earlier one arrives late.
  var seq = form.querySelector("input[name=page_seq]");
  var timer = null;
  var saving = false;
  var pending = false;
  var DELAY_MS = 1500;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function nextSeq() {
    if (seq) {
      seq.value = String((parseInt(seq.value, 10) || 0) + 1);
    }
  }

  function save() {
    if (saving) {
      pending = true;
      return;
    }
    saving = true;
    nextSeq();
    say("Saving…");
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (result) {
        var body = result.body;
        if (body.saved) {
          revision.value = body.revision;
          if (body.autosave_url !== form.dataset.autosaveUrl) {
            // The first save created the draft: from now on, save to it.
            form.dataset.autosaveUrl = body.autosave_url;
            form.action = body.edit_url;
            window.history.replaceState(null, "", body.edit_url);
          }
          say("Draft saved at " + body.saved_at);
        } else if (body.stale) {
          return; // a newer save from this page was kept
        } else if (body.conflict) {
          say("This draft was changed in another window. Your text is kept here: use Save draft to keep it.");
        } else if (body.signed) {
          say("This note has been signed elsewhere; it can no longer change.");
        } else {
          say("Not saved yet: check the fields marked when you use Save draft.");
        }
      })
      .catch(function () {
        say("Not saved: no connection. Your text is still here; it will save when you type again.");
      })
      .then(function () {
        saving = false;
        if (pending) {
          pending = false;
          save();
        }
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY_MS);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
    pending = false;
    nextSeq();
  });

  // Show only the sections of the chosen note form (SOAP or DAP).
  var format = form.querySelector("select[name=note_format]");
  function showFormat() {
    var dap = format && format.value === "dap";
    form.querySelectorAll(".note-soap").forEach(function (el) { el.hidden = dap; });
    form.querySelectorAll(".note-dap").forEach(function (el) { el.hidden = !dap; });
  }
  if (format) {
    format.addEventListener("change", showFormat);
    showFormat();
  }
})();
