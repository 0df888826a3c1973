// Coupons: a live clock on the receipt (a screenshot cannot pass for it) and one submit per confirm tap.
(function () {
  "use strict";
  var clock = document.getElementById("now");
  if (clock) {
    var tick = function () {
      var lang = document.documentElement.lang === "en" ? "en-GB" : "ja-JP";
      clock.textContent = new Date().toLocaleTimeString(lang, {hour: "2-digit", minute: "2-digit", second: "2-digit",
                                                             timeZone: "Asia/Tokyo"});
    };
    tick();
    setInterval(tick, 1000);
  }
  document.querySelectorAll("button[data-once]").forEach(function (button) {
    button.form.addEventListener("submit", function () {
      setTimeout(function () { button.disabled = true; }, 0);
    });
  });
})();
