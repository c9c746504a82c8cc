/* weiquan: quick exit (一键离开 button, Shift ×3), 大字 toggle, installable web app.
   No network request of its own, no cookies; the exit is a navigation the user asked for.
   Loaded async in <head>: every listener is on the document, so it works whenever it runs. */
(function () {
  "use strict";
  var root = document.documentElement;
  var FALLBACK = "https://www.weather.com.cn/";
  var leaving = false;
  var NEUTRAL_ENTRIES = 4;   // Back from the neutral site first meets this many neutral entries

  function ready(f) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", f);
    else f();
  }

  function exitUrl() {
    var link = document.getElementById("wq-exit");
    return (link && link.href) || FALLBACK;
  }

  // The current history entry gets the address of the neutral page go.html (which forwards to
  // the neutral site), and NEUTRAL_ENTRIES more such entries are added, so Back from the neutral
  // site lands on them instead of on this site's pages. Earlier entries (pages read before this
  // one) cannot be changed by any page; they stay in Back and in the browser's history list.
  // From file:// the History API refuses another file's address; the entries then keep this
  // page's address with #wq-away, and a page opened with #wq-away (by Back) stays blank and
  // goes straight on to the neutral site (main.html's head script hides it before it shows).
  var AWAY = "#wq-away";
  function neutralHistory() {
    var meta = document.querySelector('meta[name="wq-root"]');
    var away;
    try {
      away = new URL((meta ? meta.content : "./") + "go.html", location.href).href;
      history.replaceState(null, "", away);
    } catch (e) {
      away = AWAY;
      try { history.replaceState(null, "", away); } catch (e2) { return; }
    }
    try {
      for (var i = 0; i < NEUTRAL_ENTRIES; i++) history.pushState(null, "", away);
    } catch (e) { /* an old browser: location.replace below still leaves */ }
  }
  if (location.hash === AWAY) {
    leaving = true;
    root.style.visibility = "hidden";
    ready(function () { location.replace(exitUrl()); });
  }

  // What this site keeps on the phone goes with it: the pages saved for offline use (the service
  // worker also clears them and unregisters, so it finishes after this page is gone), the 大字 /
  // 拼音 / 朗读 / 高对比 preferences (every "wq" key) and this tab's session data. The browser's
  // own history and HTTP cache are out of a page's reach (the 安全浏览 page says so).
  function forget() {
    try { sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (k && /^wq[-.]/.test(k)) localStorage.removeItem(k);
      }
    } catch (e) { /* storage may be disabled */ }
    try {
      var sw = navigator.serviceWorker;
      if (sw && sw.controller) sw.controller.postMessage("wq-forget");
      if (sw && sw.getRegistrations) sw.getRegistrations().then(function (regs) {
        regs.forEach(function (r) { r.unregister(); });
      }).catch(function () {});
    } catch (e) { /* no service worker */ }
    try {
      if (window.caches) caches.keys().then(function (keys) {
        keys.forEach(function (k) { if (k.indexOf("weiquan-") === 0) caches.delete(k); });
      }).catch(function () {});
    } catch (e) { /* no cache storage (file://) */ }
  }

  // Blank the page at once, then replace it: location.replace keeps it out of Back.
  function leave(event) {
    if (event) event.preventDefault();
    if (leaving) return;
    leaving = true;
    try { if (window.speechSynthesis) speechSynthesis.cancel(); } catch (e) { /* 朗读 stops at once */ }
    var url = exitUrl();
    // Hide rather than delete: other scripts still expect their elements while we leave.
    root.style.visibility = "hidden";
    try { document.body.style.display = "none"; document.title = ""; } catch (e) { /* keep leaving */ }
    forget();
    neutralHistory();
    location.replace(url);
  }
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t && t.closest && t.closest("#wq-exit") && !e.defaultPrevented) leave(e);
  }, true);

  // Brought back from the back/forward cache (Back from the neutral site): leave again at once.
  window.addEventListener("pageshow", function (e) {
    if (e.persisted && (leaving || /\/go\.html$/.test(location.pathname) || location.hash === AWAY)) {
      root.style.visibility = "hidden";
      location.replace(exitUrl());
    }
  });

  // Shift pressed three times within 2 seconds.
  var presses = [];
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Shift" || e.repeat) return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) leave();
  }, true);

  // 大字: the head script applies the saved choice before the first paint.
  var KEY = "wq-textsize";
  ready(function initTextSize() {
    var btn = document.getElementById("wq-textsize");
    if (!btn) return;
    var show = function () { btn.setAttribute("aria-pressed", root.classList.contains("wq-large") ? "true" : "false"); };
    show();
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var on = !root.classList.contains("wq-large");
      // Keep the reader's place: the block at the top of the screen stays there.
      var anchor = document.elementFromPoint(innerWidth / 2, Math.min(innerHeight - 1, 120));
      while (anchor && anchor.parentElement && !/^(P|LI|H[1-6]|SECTION|ARTICLE|TR|DD|DT)$/.test(anchor.tagName)) anchor = anchor.parentElement;
      var before = anchor && anchor.getBoundingClientRect().top;
      root.classList.toggle("wq-large", on);
      if (anchor && anchor !== document.body) window.scrollBy(0, anchor.getBoundingClientRect().top - before);
      try { if (on) localStorage.setItem(KEY, "large"); else localStorage.removeItem(KEY); } catch (e) { /* not remembered */ }
      show();
    });
  });

  // Installable web app: manifest + service worker, only over http(s) (never from file://).
  if (/^https?:$/.test(location.protocol)) {
    ready(function () {
      var meta = document.querySelector('meta[name="wq-root"]');
      var base = meta ? meta.content : "./";
      var link = document.createElement("link");
      link.rel = "manifest";
      link.href = base + "manifest.webmanifest";
      document.head.appendChild(link);
      if ("serviceWorker" in navigator && !/\/go\.html$/.test(location.pathname)) {
        // the offline fallback page's 一键离开 goes where this page's does
        navigator.serviceWorker.register(base + "sw.js?exit=" + encodeURIComponent(exitUrl()))
          .catch(function () { /* offline use only */ });
      }
    });
  }
})();
