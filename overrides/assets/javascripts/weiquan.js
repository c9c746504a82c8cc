/* weiquan: article permalinks (forward + copy link), the menu without Material's bundle, 高对比,
   and the 朗读 controls (the reader itself, wq-read.js, is loaded on first use).
   No network of its own, no cookies. */
(function () {
  "use strict";
  // The menu (drawer) is Material's checkbox + CSS; the site does not load Material's bundle,
  // so close it here on Escape and after following a link to a place on this same page.
  // The menu button (a label) works by keyboard: Enter/Space opens the menu and moves to its first
  // link; Escape closes it and goes back to the button. Closed, the menu is not in the Tab order
  // (weiquan.css hides it).
  var drawer = document.getElementById("__drawer");
  if (drawer) {
    var menuButton = document.querySelector('label.md-header__button[for="__drawer"]');
    var expanded = function () { if (menuButton) menuButton.setAttribute("aria-expanded", drawer.checked ? "true" : "false"); };
    drawer.addEventListener("change", expanded);
    if (menuButton) menuButton.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" && e.key !== " ") return;
      e.preventDefault();
      drawer.checked = !drawer.checked;
      expanded();
      var first = drawer.checked && document.querySelector(".md-sidebar--primary a[href], .md-sidebar--primary label[for]");
      if (first) setTimeout(function () { first.focus(); }, 30);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && drawer.checked) { drawer.checked = false; expanded(); if (menuButton) menuButton.focus(); }
    });
    document.addEventListener("click", function (e) {
      var a = e.target && e.target.closest && e.target.closest(".md-sidebar a[href]");
      if (a && drawer.checked && a.pathname === location.pathname) { drawer.checked = false; expanded(); }
    });
  }
  // A split law's landing page forwards #a123 to the page that holds the article.
  var map = document.getElementById("wq-article-map");
  var m = map && /^#a(\d+)(?:-(\d+))?$/.exec(location.hash);
  if (m) {
    var key = +m[1] * 100 + (+m[2] || 0);
    JSON.parse(map.textContent).some(function (r) {  // [page href, first key, last key]
      if (key < r[1] || key > r[2]) return false;
      location.replace(r[0] + location.hash);
      return true;
    });
  }
  // Copy-link control next to every article number.
  document.querySelectorAll(".wq-article__num").forEach(function (h) {
    var link = h.querySelector("a");
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "wq-copy";
    btn.textContent = "复制链接";
    btn.setAttribute("aria-label", "复制" + link.textContent + "的链接");
    btn.addEventListener("click", function () {
      var url = link.href;
      var done = function () { btn.textContent = "已复制"; setTimeout(function () { btn.textContent = "复制链接"; }, 2000); };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(url).then(done, function () { prompt("复制此链接：", url); });
      else { prompt("复制此链接：", url); }
    });
    h.appendChild(btn);
  });
  // 高对比: the head script in main.html applies the saved choice (or the system's "more contrast")
  // before the first paint; "off" is only stored when it overrides the system setting.
  var root = document.documentElement;
  var contrast = document.getElementById("wq-contrast");
  if (contrast) {
    var showContrast = function () { contrast.setAttribute("aria-pressed", root.classList.contains("wq-contrast") ? "true" : "false"); };
    showContrast();
    contrast.hidden = false;
    contrast.addEventListener("click", function () {
      var on = !root.classList.contains("wq-contrast");
      root.classList.toggle("wq-contrast", on);
      try {
        if (on) localStorage.setItem("wq-contrast", "on");
        else if (matchMedia("(prefers-contrast: more)").matches) localStorage.setItem("wq-contrast", "off");
        else localStorage.removeItem("wq-contrast");
      } catch (e) { /* not remembered */ }
      showContrast();
    });
  }
  // 朗读: a control in the header and one above the article. The reader (wq-read.js) is loaded
  // with a <script> tag on first use (works from file://); it takes over these controls.
  var article = document.querySelector("article.md-content__inner");
  var readToggle = document.getElementById("wq-read-toggle");
  if (article) {
    var bar = document.createElement("div");
    bar.className = "wq-readbar";
    bar.id = "wq-readbar";
    bar.innerHTML = '<button type="button" class="wq-read-main" id="wq-read-main"><svg class="wq-read-icon" viewBox="0 0 24 24"' +
      ' width="24" height="24" aria-hidden="true" focusable="false"><path d="M3 9v6h4l5 5V4L7 9zm11-1.97v9.94A4.5 4.5 0 0 0 16.5' +
      ' 12 4.5 4.5 0 0 0 14 7.03M14 3.23v2.06a7 7 0 0 1 0 13.42v2.06a9 9 0 0 0 0-17.54"/></svg><span>朗读这一页</span></button>' +
      '<button type="button" class="wq-read-again" id="wq-read-again" hidden>从头读</button>' +
      '<p class="wq-read-msg" id="wq-read-msg" role="status"></p>';
    article.parentNode.insertBefore(bar, article);
    var requested = false, pending = null;
    var readAloud = function (action) {
      if (window.wqRead) { window.wqRead[action](); return; }
      pending = action;
      if (requested) return;
      requested = true;
      var meta = document.querySelector('meta[name="wq-root"]');
      var s = document.createElement("script");
      s.src = (meta ? meta.content : "./") + "assets/javascripts/wq-read.js";
      s.onload = function () { if (window.wqRead && pending) window.wqRead[pending](); pending = null; };
      s.onerror = function () {
        requested = false;
        s.parentNode.removeChild(s);
        var msg = document.getElementById("wq-read-msg");
        msg.textContent = navigator.onLine === false ? "现在没有网络，朗读功能加载不了。有网络时再点“朗读”。"
          : "朗读功能没有加载成功。请稍后再点“朗读”试一次。";
        msg.scrollIntoView({ block: "nearest" });
      };
      document.head.appendChild(s);
    };
    document.getElementById("wq-read-main").addEventListener("click", function () { readAloud("toggle"); });
    document.getElementById("wq-read-again").addEventListener("click", function () { readAloud("restart"); });
    if (readToggle) {
      readToggle.hidden = false;
      readToggle.addEventListener("click", function () { readAloud("toggle"); });
    }
  }
})();
