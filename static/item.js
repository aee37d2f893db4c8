// The item page: keep the claim's lease while open; a/h/e/n decide, r goes to the reply.
(function () {
  "use strict";
  var lease = document.getElementById("lease");
  var token = document.querySelector('meta[name="csrf-token"]').content;

  if (lease) {
    var every = Math.max(15, Math.floor(parseInt(lease.dataset.leaseSeconds, 10) / 3)) * 1000;
    window.setInterval(function () {
      fetch(lease.dataset.leaseUrl, { method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": token, "Accept": "application/json" } })
        .then(function (response) {
          if (response.status === 409) {
            lease.className = "banner banner-lost";
            lease.textContent = "Another moderator has this item now; reload before deciding.";
          }
        })
        .catch(function () { /* offline: the next renewal tries again */ });
    }, every);
  }

  var form = document.getElementById("decide-form");
  if (!form) { return; }
  var reply = document.getElementById("reply_text");
  if (window.location.hash === "#reply_text" && reply) { reply.focus(); }

  document.addEventListener("keydown", function (event) {
    var tag = event.target.tagName;
    if (event.ctrlKey || event.metaKey || event.altKey ||
        tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    if (event.key === "r") {
      reply.focus();
      event.preventDefault();
      return;
    }
    var button = form.querySelector('button[data-key="' + event.key + '"]');
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
})();
