/* weiquan: article permalinks (forward + copy link). No network, no cookies. */
(function () {
  "use strict";
  // A split law's landing page forwards #a123 to the page that holds the article.
  var map = document.getElementById("wq-article-map");
  if (map && location.hash) {
    var target = JSON.parse(map.textContent)[location.hash.slice(1)];
    if (target) location.replace(target);
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
