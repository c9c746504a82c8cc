/* weiquan service worker: keeps the pages you visited for use without signal.
   Pages (HTML): network first, the saved copy when offline. Assets: saved copy first, refreshed
   in the background. Same origin only; nothing is sent anywhere. Registered by wq-safety.js over
   http(s) only, never from file://. */
"use strict";
var CACHE = "weiquan-v1";

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("weiquan-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function save(request, response) {
  if (response && response.ok && response.type === "basic") {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

function offlinePage() {
  var home = new URL("./", self.location).href;
  var html = '<!doctype html><html lang="zh"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><title>没有网络</title>' +
    '<body style="font:18px/1.7 sans-serif;margin:1.5em"><h1>没有网络</h1>' +
    '<p>这一页还没有保存在手机上。有网络时再打开，或者先看<a href="' + home + '">已保存的首页</a>。</p>' +
    '<p>有危险请拨打 <a href="tel:110">110</a>，妇女维权热线 <a href="tel:12338">12338</a>。</p></body></html>';
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  var accept = request.headers.get("accept") || "";
  if (request.mode === "navigate" || accept.indexOf("text/html") !== -1) {
    event.respondWith(fetch(request).then(function (response) { return save(request, response); })
      .catch(function () {
        return caches.match(request, { ignoreSearch: true }).then(function (hit) {
          return hit || offlinePage();
        });
      }));
    return;
  }
  event.respondWith(caches.match(request).then(function (hit) {
    var fresh = fetch(request).then(function (response) { return save(request, response); });
    if (hit) { fresh.catch(function () {}); return hit; }
    return fresh;
  }));
});
