// Service worker: the passport card stays available without signal.
// Network first for the card (always fresh when online), the last good copy when offline.
"use strict";
var CACHE = "passport-v1";
var SHELL = ["/static/css/site.css", "/static/js/passport.js", "/static/favicon.svg"];

function cacheCard(cache) {
  // The page that registered us was not fetched through us: keep a copy of the card now.
  return fetch("/passport", {credentials: "same-origin"}).then(function (response) {
    if (response.ok && !response.redirected) return cache.put("/passport", response);
  }).catch(function () { /* offline while installing: the next visit fills the cache */ });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (c) {
    return c.addAll(SHELL).then(function () { return cacheCard(c); });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname === "/passport") {
    event.respondWith(fetch(event.request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (c) { c.put("/passport", copy); });
      }
      return response;
    }).catch(function () {
      return caches.match("/passport").then(function (r) { return r || Response.error(); });
    }));
    return;
  }
  if (SHELL.indexOf(url.pathname) !== -1) {
    // Pages ask for /static/...?v=<content hash>: the shell is cached under the bare path.
    event.respondWith(caches.match(url.pathname).then(function (r) {
      return r || fetch(event.request);
    }));
  }
});
