// Provider pages: the live list of redemptions (polls a same-origin JSON endpoint every few seconds and redraws
// only when something changed) and the poster's print button. No inline script: the CSP allows /static only.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  var live = document.getElementById("live");
  if (!live || !window.fetch) return;
  var src = live.getAttribute("data-src");
  var version = live.getAttribute("data-version");
  var seconds = parseInt(live.getAttribute("data-poll"), 10) || 10;
  var status = document.getElementById("live-status");

  function td(text, className) {
    var cell = document.createElement("td");
    if (className) cell.className = className;
    if (text !== undefined && text !== null) cell.textContent = String(text);
    return cell;
  }

  function row(item) {
    var tr = document.createElement("tr");
    tr.setAttribute("data-id", item.id);
    if (item.reversal) tr.className = "reversed";
    var when = td(null), time = document.createElement("time");
    time.setAttribute("datetime", item.at);
    time.textContent = item.time;
    when.appendChild(time);
    tr.appendChild(when);
    tr.appendChild(td(item.service_name));
    tr.appendChild(td(item.count, "num"));
    tr.appendChild(td(item.amount_text, "num"));
    var ref = td(null), code = document.createElement("code"), receipt = document.createElement("span");
    code.className = "set-ref";
    code.textContent = item.set_ref;
    receipt.className = "note";
    receipt.textContent = "No." + item.id;
    ref.appendChild(code);
    ref.appendChild(document.createTextNode(" "));
    ref.appendChild(receipt);
    tr.appendChild(ref);
    var action = td(null);
    if (item.reversal) {
      var span = document.createElement("span");
      span.className = "reversal";
      span.textContent = item.reversal.text;
      action.appendChild(span);
    } else if (item.correct_url) {
      var link = document.createElement("a");
      link.href = item.correct_url;
      link.textContent = item.action;
      action.appendChild(link);
    }
    tr.appendChild(action);
    return tr;
  }

  function fill(name, items) {
    var body = document.getElementById(name + "-rows"), empty = document.getElementById(name + "-empty");
    if (!body) return;
    while (body.firstChild) body.removeChild(body.firstChild);
    items.forEach(function (item) { body.appendChild(row(item)); });
    if (empty) empty.hidden = items.length > 0;
  }

  function apply(data) {
    fill("today", data.today.items);
    fill("recent", data.recent.items);
    var total = document.getElementById("today-total");
    if (total) total.textContent = data.today.total_text;
    var banner = document.getElementById("rotation-banner");
    if (banner) banner.hidden = !data.needs_rotation;
  }

  function poll() {
    if (document.hidden) return;
    fetch(src, {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (data.version !== version) {
          version = data.version;
          apply(data);
        }
        if (status) status.textContent = data.updated_text;
      })
      .catch(function () {
        if (status) status.textContent = live.getAttribute("data-offline");
      });
  }

  setInterval(poll, seconds * 1000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
})();
