// Keyboard shortcuts for the agents' console. Everything also works without this file (plain links and forms).
//   /          focus the search box          Esc   leave a field
//   ArrowDown  next result / control        ArrowUp  previous one (from the search box: the first result)
//   1..9       choose that answer in a flow  0     back one step
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var search = document.getElementById("support-q");

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "TEXTAREA" || tag === "SELECT" ||
      (tag === "INPUT" && !/^(button|submit|checkbox|radio|reset)$/i.test(el.type));
  }

  function results() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-result], .choices a.choice"));
  }

  function move(delta) {
    var list = results();
    if (!list.length) return false;
    var i = list.indexOf(document.activeElement);
    var next = i < 0 ? (delta > 0 ? 0 : list.length - 1) : Math.min(Math.max(i + delta, 0), list.length - 1);
    list[next].focus();
    return true;
  }

  function go(el) {
    if (!el) return false;
    if (el.tagName === "A") { window.location.assign(el.href); } else { el.click(); }
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    var target = event.target;
    if (event.key === "Escape" && typing(target)) { target.blur(); return; }
    if (target === search && event.key === "ArrowDown") {
      if (move(1)) event.preventDefault();
      return;
    }
    if (typing(target)) return;
    var handled = false;
    if (event.key === "/") {
      if (search) { search.focus(); search.select(); handled = true; }
    } else if (event.key === "ArrowDown") {
      handled = move(1);
    } else if (event.key === "ArrowUp") {
      var list = results();
      if (list.length && list.indexOf(document.activeElement) === 0 && search) { search.focus(); handled = true; }
      else { handled = move(-1); }
    } else if (/^[1-9]$/.test(event.key)) {
      handled = go(document.querySelector('[data-choice="' + event.key + '"]'));
    } else if (event.key === "0") {
      handled = go(document.querySelector("[data-back]"));
    }
    if (handled) event.preventDefault();
  });

  // In a flow, put the focus on the question so screen readers read it and Tab starts at the choices.
  var heading = document.querySelector("[data-step] h2[tabindex]");
  if (heading && !document.querySelector("[autofocus]")) heading.focus({preventScroll: true});
})();
