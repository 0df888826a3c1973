// Maps (Leaflet, served from /static/vendor): the map view of /search (#results-map: clustered pins for the same
// search as the list, from data-pins-url) and a facility's own location (#facility-map). Keyboard: the map
// pans with the arrow keys and zooms with + and -; every pin is focusable and opens its card with Enter.
// Everything shown here is also in the page as text (the list, the address), so the map is an extra.
(function () {
  "use strict";
  if (!window.L) return;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }

  function baseMap(el, options) {
    var map = L.map(el, Object.assign({zoomControl: false, keyboard: true, scrollWheelZoom: false}, options || {}));
    L.control.zoom({zoomInTitle: el.dataset.zoomIn, zoomOutTitle: el.dataset.zoomOut}).addTo(map);
    L.tileLayer(el.dataset.tileUrl, {
      maxZoom: parseInt(el.dataset.maxZoom, 10) || 18,
      attribution: el.dataset.attribution
    }).addTo(map);
    map.attributionControl.setPrefix(false);
    return map;
  }

  // A circle for an approximate position, a pin for a real one; both reachable by Tab.
  function approxIcon() {
    return L.divIcon({className: "map-approx-pin", iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -8]});
  }

  function card(pin, el) {
    var box = document.createElement("div");
    box.className = "map-card";
    var link = document.createElement("a");
    link.href = pin.url;
    link.textContent = pin.name;
    var title = document.createElement("p");
    title.className = "map-card-title";
    title.appendChild(link);
    box.appendChild(title);
    var meta = document.createElement("p");
    meta.className = "map-card-meta";
    meta.textContent = pin.meta;
    box.appendChild(meta);
    if (pin.approximate) {
      var note = document.createElement("p");
      note.className = "map-card-approx";
      note.textContent = el.dataset.approxLabel;
      box.appendChild(note);
    }
    return box;
  }

  function marker(pin, el) {
    var label = pin.name + (pin.approximate ? " (" + el.dataset.approxLabel + ")" : "");
    var options = {title: label, alt: label, keyboard: true, riseOnHover: true};
    if (pin.approximate) options.icon = approxIcon();
    var m = L.marker([pin.lat, pin.lon], options);
    m.bindPopup(card(pin, el));
    m.on("add", function () {  // a divIcon has no alt: name it for screen readers
      var icon = m.getElement();
      if (icon) {
        icon.setAttribute("role", "button");
        icon.setAttribute("aria-label", label);
      }
    });
    return m;
  }

  function resultsMap(el) {
    var summary = document.getElementById("map-summary");
    var map = baseMap(el).setView([35.4, 139.4], 9);
    var cluster = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 50});
    map.addLayer(cluster);
    fetch(el.dataset.pinsUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var markers = data.pins.map(function (p) { return marker(p, el); });
        cluster.addLayers(markers);
        if (markers.length) {
          map.fitBounds(cluster.getBounds(), {padding: [24, 24], maxZoom: 15});
        }
        var approx = data.pins.filter(function (p) { return p.approximate; }).length;
        var text = format(el.dataset.summary, {shown: data.shown, total: data.total});
        if (approx) text += " " + format(el.dataset.approxSummary, {n: approx});
        if (data.truncated) text += " " + el.dataset.truncated;
        summary.textContent = text;
        el.dataset.pins = String(data.shown);  // for tests and styles: the map is ready
      })
      .catch(function () {
        summary.textContent = el.dataset.failed;
        el.dataset.pins = "error";
      });
    var locate = document.getElementById("map-locate");
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      var you = null;
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          var here = [pos.coords.latitude, pos.coords.longitude];
          if (you) map.removeLayer(you);
          you = L.circleMarker(here, {radius: 9, className: "map-you", weight: 3})
            .bindTooltip(el.dataset.youLabel).addTo(map);
          map.setView(here, Math.max(map.getZoom(), 14));
        }, function () {
          summary.textContent = locate.dataset.error;
        }, {enableHighAccuracy: false, timeout: 10000, maximumAge: 300000});
      });
    }
  }

  function facilityMap(el) {
    var here = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
    var approximate = el.dataset.approximate === "1";
    // An estimate is only the municipality's point: zoomed out, drawn as a ring rather than a pin.
    var map = baseMap(el).setView(here, approximate ? 12 : 16);
    marker({name: el.dataset.name, lat: here[0], lon: here[1], approximate: approximate, url: "#", meta: ""}, el)
      .unbindPopup().addTo(map);
    el.dataset.pins = "1";
  }

  var results = document.getElementById("results-map");
  if (results) resultsMap(results);
  var facility = document.getElementById("facility-map");
  if (facility) facilityMap(facility);
})();
