// The queue page: keyboard shortcuts, bulk selection, and a 5-second poll for new crisis items.
// a/h/n decide a row from here only when it is less urgent than threat: a crisis, threat or
// unscored row is opened instead, and e always opens the item (an escalation needs a reason).
(function () {
  "use strict";
  var current = -1;

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr.queue-row")); }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function select(index) {
    var all = rows();
    if (!all.length) { return null; }
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) { row.classList.toggle("is-current", i === current); });
    var row = all[current];
    var link = row.querySelector("a.open-item");
    if (link) { link.focus({ preventScroll: true }); }
    row.scrollIntoView({ block: "nearest" });
    return row;
  }

  function currentRow() {
    var all = rows();
    return current >= 0 && current < all.length ? all[current] : null;
  }

  function decide(row, action) {
    if (!row || row.dataset.state === "resolved") { return; }
    if (row.dataset.readFirst === "yes" || row.dataset.state === "escalated") {
      window.location.href = row.dataset.url;  // read it first; nothing is decided
      return;
    }
    var form = document.getElementById("row-decide");
    form.action = row.dataset.url + "/decide";
    form.elements.action.value = action;
    form.submit();
  }

  function updateSelected() {
    var n = document.querySelectorAll('input[name="item_ids"]:checked').length;
    var label = document.getElementById("selected-count");
    if (label) { label.textContent = n + " selected"; }
  }

  var keys = { a: "approve", h: "hide", n: "not_a_concern" };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var help = document.getElementById("keys-help");
    if (help && help.open) { return; }
    var row = currentRow();
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current < 0 ? 0 : current - 1); break;
      case "Enter": if (row) { window.location.href = row.dataset.url; } else { return; } break;
      case "x":
        if (row) {
          var box = row.querySelector('input[name="item_ids"]');
          if (box) { box.checked = !box.checked; updateSelected(); }
        }
        break;
      case "r": if (row) { window.location.href = row.dataset.url + "#reply_text"; } break;
      case "e": if (row) { window.location.href = row.dataset.url + "#escalate"; } break;
      case "?": if (help) { help.showModal(); } break;
      default:
        if (keys[event.key] && row) { decide(row, keys[event.key]); } else { return; }
    }
    event.preventDefault();
  });

  document.addEventListener("change", function (event) {
    if (event.target.classList.contains("select-all")) {
      var table = event.target.closest("table");
      table.querySelectorAll('input[name="item_ids"]').forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
    updateSelected();
  });

  rows().forEach(function (row, i) {
    row.addEventListener("click", function () { current = i; select(i); });
  });

  var showKeys = document.getElementById("show-keys");
  if (showKeys) {
    showKeys.addEventListener("click", function () { document.getElementById("keys-help").showModal(); });
  }

  var bulk = document.getElementById("bulk-form");
  if (bulk) {
    bulk.addEventListener("submit", function (event) {
      if (!document.querySelectorAll('input[name="item_ids"]:checked').length) {
        event.preventDefault();
        document.getElementById("selected-count").textContent = "Select rows first (x or the checkboxes)";
      }
    });
  }

  // New crisis items: poll a small JSON endpoint; the title carries the open crisis count.
  var config = document.getElementById("poll-config");
  if (!config) { return; }
  var after = parseInt(config.dataset.after, 10) || 0;
  var since = config.dataset.since;
  var live = config.dataset.live === "yes";
  var baseTitle = document.title.replace(/^\(\d+\+?\) /, "");

  function showCount(n) {
    document.title = (n > 0 ? "(" + n + (n >= 1000 ? "+" : "") + ") " : "") + baseTitle;
    var count = document.getElementById("crisis-count");
    if (count) {
      document.getElementById("crisis-count-n").textContent = n;
      count.classList.toggle("has-crisis", n > 0);
    }
  }

  function addRow(item) {
    if (document.querySelector('tr.queue-row[data-id="' + item.id + '"]')) { return; }
    var table = document.getElementById("queue-table");
    var template = document.createElement("template");
    template.innerHTML = item.html.trim();  // rendered and escaped by the server's template
    var row = template.content.firstElementChild;
    table.hidden = false;
    var empty = document.getElementById("queue-empty");
    if (empty) { empty.hidden = true; }
    var body = table.tBodies[0];
    var first = body.querySelector("tr.queue-row:not(.urgency-1)");
    body.insertBefore(row, first);  // crisis rows stay above the less urgent ones
    row.addEventListener("click", function () { select(rows().indexOf(row)); });
  }

  function poll() {
    var url = config.dataset.pollUrl + "?after=" + after + "&since=" + since;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/json") !== 0) { throw new Error("poll"); }
        return response.json();
      })
      .then(function (data) {
        showCount(data.crisis_waiting);
        if (live) {
          data.items.forEach(function (item) { addRow(item); after = Math.max(after, item.id); });
        }
      })
      .catch(function () { /* signed out or offline: try again at the next tick */ });
  }
  window.setInterval(poll, parseInt(config.dataset.interval || "5000", 10));
})();
