/* weiquan: article permalinks (forward + copy link), the menu without Material's bundle.
   No network, no cookies. */
(function () {
  "use strict";
  // The menu (drawer) is Material's checkbox + CSS; the site does not load Material's bundle,
  // so close it here on Escape and after following a link to a place on this same page.
  var drawer = document.getElementById("__drawer");
  if (drawer) {
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && drawer.checked) { drawer.checked = false; }
    });
    document.addEventListener("click", function (e) {
      var a = e.target && e.target.closest && e.target.closest(".md-sidebar a[href]");
      if (a && drawer.checked && a.pathname === location.pathname) drawer.checked = false;
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
})();
