// Progressive enhancement for the search pages: auto-submit the sort order, "nearest from where I am".
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.value === "nearest" && !new URLSearchParams(location.search).get("lat")) {
        locate();
        return;
      }
      select.form.submit();
    });
  });
  var button = document.getElementById("locate");
  var status = document.getElementById("locate-status");
  function locate() {
    if (!navigator.geolocation) { if (status) status.textContent = button.dataset.error; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      var params = new URLSearchParams(location.search);
      params.set("lat", pos.coords.latitude.toFixed(5));
      params.set("lon", pos.coords.longitude.toFixed(5));
      params.set("sort", "nearest");
      params.delete("page");
      location.search = params.toString();
    }, function () {
      if (status) status.textContent = button.dataset.error;
    }, {enableHighAccuracy: false, timeout: 10000, maximumAge: 300000});
  }
  if (button && navigator.geolocation) {
    button.hidden = false;
    button.addEventListener("click", locate);
  }
})();
