// After logout or deletion: forget the passport kept for offline use on this device.
(function () {
  "use strict";
  if (window.caches) {
    caches.keys().then(function (keys) { keys.forEach(function (k) { caches.delete(k); }); });
  }
  try { localStorage.removeItem("passport-checked"); } catch (e) { /* storage unavailable */ }
})();
