/* weiquan: quick exit (一键离开 button, Shift ×3), 大字 toggle, installable web app.
   No network request of its own, no cookies; the exit is a navigation the user asked for. */
(function () {
  "use strict";
  var root = document.documentElement;
  var exitLink = document.getElementById("wq-exit");
  var leaving = false;

  // Blank the page at once, then replace it: location.replace keeps it out of Back.
  function leave(event) {
    if (event) event.preventDefault();
    if (leaving) return;
    leaving = true;
    var url = (exitLink && exitLink.href) || "https://www.weather.com.cn/";
    // Hide rather than delete: Material's scripts still expect their elements while we leave.
    root.style.visibility = "hidden";
    try { document.body.style.display = "none"; document.title = ""; } catch (e) { /* keep leaving */ }
    try { sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
    location.replace(url);
  }
  if (exitLink) exitLink.addEventListener("click", leave);

  // Shift pressed three times within 2 seconds.
  var presses = [];
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Shift" || e.repeat) return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) leave();
  }, true);

  // 大字: the head script applies the saved choice before the first paint; the button sits in
  // the header, which is parsed after this script.
  var KEY = "wq-textsize";
  function initTextSize() {
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
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initTextSize);
  else initTextSize();

  // Installable web app: manifest + service worker, only over http(s) (never from file://).
  if (/^https?:$/.test(location.protocol)) {
    var meta = document.querySelector('meta[name="wq-root"]');
    var base = meta ? meta.content : "./";
    var link = document.createElement("link");
    link.rel = "manifest";
    link.href = base + "manifest.webmanifest";
    document.head.appendChild(link);
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(base + "sw.js").catch(function () { /* offline use only */ });
    }
  }
})();
