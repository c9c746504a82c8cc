/* weiquan service worker: keeps the pages you visited for use without signal.
   Pages (HTML): network first, the saved copy when offline. Assets: saved copy first, refreshed
   in the background. Same origin only; nothing is sent anywhere. Registered by wq-safety.js over
   http(s) only, never from file://. */
"use strict";
var CACHE = "weiquan-v1";

// The scripts a page loads only when asked (朗读) are saved at once, so they work offline later.
var ON_DEMAND = ["assets/javascripts/wq-read.js"];

self.addEventListener("install", function (event) {
  self.skipWaiting();
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(ON_DEMAND.map(function (p) { return new URL(p, self.location).href; }));
  }).catch(function () { /* offline at install: saved when first used instead */ }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("weiquan-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// 一键离开 (wq-safety.js): delete every saved page and stop saving; the page is gone by then, so
// this worker finishes the job and unregisters itself.
var forgetting = false;
self.addEventListener("message", function (event) {
  if (event.data !== "wq-forget") return;
  forgetting = true;
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("weiquan-") === 0; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.registration.unregister(); }));
});

function save(request, response) {
  if (!forgetting && response && response.ok && response.type === "basic") {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

// 一键离开 goes where the page's button goes: wq-safety.js registers sw.js?exit=<exit_url>.
function exitUrl() {
  var exit = new URL(self.location).searchParams.get("exit") || "";
  return /^https?:\/\/[^\s"'<>]+$/.test(exit) ? exit : "https://www.weather.com.cn/";
}

function esc(s) { return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;"); }

function offlinePage() {
  var home = new URL("./", self.location).href;
  var exit = esc(exitUrl());
  var button = "display:inline-flex;align-items:center;justify-content:center;min-height:48px;min-width:48px;" +
    "padding:0 1rem;border-radius:.4rem;color:#fff;font-weight:700;text-decoration:none;";
  var html = '<!doctype html><html lang="zh"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">' +
    '<meta name="wq-root" content="' + esc(home) + '"><title>没有网络</title></head>' +
    '<body style="font:18px/1.7 sans-serif;margin:1.5em;padding-bottom:5rem">' +
    '<div style="position:fixed;left:0;right:0;bottom:0;display:flex;flex-direction:row-reverse;' +
    'justify-content:space-between;gap:.4rem;padding:.3rem .5rem;background:#fff;border-top:1px solid #d1c4e9">' +
    '<a class="wq-exit" id="wq-exit" href="' + exit + '" rel="noreferrer noopener" style="' + button +
    'background:#b71c1c;border-radius:1.6rem">一键离开</a>' +
    '<span><a href="tel:110" style="' + button + 'background:#0d47a1">110</a> ' +
    '<a href="tel:12338" style="' + button + 'background:#1b5e20">12338</a></span></div>' +
    '<h1>没有网络</h1>' +
    '<p>这一页还没有保存在手机上。有网络时再打开，或者先看<a href="' + esc(home) + '">已保存的首页</a>。</p>' +
    '<p>有危险请拨打 <a href="tel:110">110</a>，妇女维权热线 <a href="tel:12338">12338</a>。</p>' +
    '<script src="' + esc(home) + 'assets/javascripts/wq-safety.js"></script></body></html>';
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
