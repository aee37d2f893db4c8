// The item page. Reading claims nothing; the moderator claims by acting ("Work on this", the
// first keystroke in the reply or note). A claim is a short lease this page renews (the
// heartbeat) and gives back when the page goes away (a beacon on pagehide). a/h/e/n press
// the decision buttons, r goes to the reply; some decisions ask for a reason first.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var lease = document.getElementById("lease");
  var form = document.getElementById("decide-form");
  var mine = false;
  var timer = null;
  var submitting = false;

  function post(url) {
    return fetch(url, { method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" } });
  }

  function lost(message) {
    mine = false;
    if (timer) { window.clearInterval(timer); timer = null; }
    lease.className = "banner banner-lost";
    lease.setAttribute("role", "alert");
    document.getElementById("lease-text").textContent = "You no longer hold this item: " +
      message + ". Nothing was recorded; your draft is still on this page.";
    var work = document.getElementById("work-form");
    if (work) { work.hidden = true; }
    if (form) {
      form.querySelectorAll('button[name="action"]').forEach(function (b) { b.disabled = true; });
    }
  }

  function held() {
    mine = true;
    lease.className = "banner banner-mine";
    lease.dataset.mine = "yes";
    document.getElementById("lease-text").textContent =
      "You are working on this item. Your claim is kept while this page is open.";
    var work = document.getElementById("work-form");
    if (work) { work.hidden = true; }
    if (!timer) {
      var every = Math.max(5, Math.floor(parseInt(lease.dataset.leaseSeconds, 10) / 3)) * 1000;
      timer = window.setInterval(heartbeat, every);
    }
  }

  function answer(response) {
    return response.json().then(function (data) {
      if (data.held) { held(); } else { lost(data.message || "someone else has it"); }
    });
  }

  function claim() {
    return post(lease.dataset.claimUrl).then(answer).catch(function () { /* offline */ });
  }

  function heartbeat() {
    post(lease.dataset.leaseUrl).then(answer).catch(function () { /* offline: next beat */ });
  }

  if (lease) {
    if (lease.dataset.mine === "yes") { held(); }
    var work = document.getElementById("work-form");
    if (work) {
      work.addEventListener("submit", function (event) { event.preventDefault(); claim(); });
    }
    // The first keystroke in the reply, the note or the reason claims the item.
    ["reply_text", "note", "reason"].forEach(function (id) {
      var field = document.getElementById(id);
      if (field) {
        field.addEventListener("input", function () { if (!mine && !lease.classList.contains("banner-lost")) { claim(); } });
      }
    });
    // Leaving the page (back to the queue, another item, closing the tab) gives the claim
    // back at once, unless the page is submitting a decision (which settles the claim).
    window.addEventListener("pagehide", function () {
      if (!mine || submitting) { return; }
      var data = new FormData();
      data.append("csrf_token", token);
      data.append("beacon", "1");
      navigator.sendBeacon(lease.dataset.releaseUrl, data);
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted && mine) { heartbeat(); }  // back from the page cache
    });
  }

  if (!form) { return; }
  var reply = document.getElementById("reply_text");
  if (window.location.hash === "#reply_text" && reply) { reply.focus(); }
  form.addEventListener("submit", function () { submitting = true; });

  // Decisions that need a reason (an escalation; approving a possible crisis) ask for it in
  // a dialog; the server refuses them without one all the same.
  var dialog = document.getElementById("reason-dialog");
  var reason = document.getElementById("reason");
  var confirmButton = document.getElementById("reason-confirm");

  function askReason(button) {
    if (dialog.open) { dialog.close(); }
    document.getElementById("reason-action").textContent =
      button.textContent.replace(/^\s*\S\s+/, "").trim();
    var why = document.getElementById("reason-why");
    why.textContent = button.dataset.needsReason;
    why.className = "meta";
    confirmButton.value = button.value;
    dialog.showModal();
    reason.focus();
  }

  form.querySelectorAll("button[data-needs-reason]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (reason && reason.value.trim()) { return; }
      event.preventDefault();
      askReason(button);
    });
  });
  if (confirmButton) {
    confirmButton.addEventListener("click", function (event) {
      if (!reason.value.trim()) {
        event.preventDefault();
        var why = document.getElementById("reason-why");
        why.className = "field-error";
        reason.focus();
      }
    });
    document.getElementById("reason-cancel").addEventListener("click", function () {
      dialog.close();
    });
  }
  if (window.location.hash === "#escalate") {
    var escalate = form.querySelector('button[value="escalate"]');
    if (escalate) { askReason(escalate); }
  }

  document.addEventListener("keydown", function (event) {
    var tag = event.target.tagName;
    if (event.ctrlKey || event.metaKey || event.altKey || (dialog && dialog.open) ||
        tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    if (event.key === "r") {
      reply.focus();
      event.preventDefault();
      return;
    }
    var button = form.querySelector('.actions button[data-key="' + event.key + '"]');
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });
})();
