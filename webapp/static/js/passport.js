// Passport card: register the service worker, say when the card is shown without signal, tick the clock.
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () { /* offline use unavailable */ });
  }
  var banner = document.getElementById("offline-banner");
  function update() { if (banner) banner.hidden = navigator.onLine; }
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  update();
  var clock = document.getElementById("now");
  if (clock) {
    var tick = function () {
      clock.textContent = new Date().toLocaleTimeString(document.documentElement.lang === "en" ? "en-GB" : "ja-JP",
                                                       {timeZone: "Asia/Tokyo"});  // Japan time on any phone
    };
    tick();
    setInterval(tick, 1000);
  }
})();
