/* 拼音 toggle (weiquan). No network unless the reader turns pinyin on; then only this page's
 * <meta name="wq-pinyin" content="pinyin.js"> payload is loaded, with a <script> tag (works
 * from file://). The payload calls wqPinyin.load("<annotated inner HTML of the article>"). */
(function () {
  "use strict";
  var KEY = "wq.pinyin";
  var root = document.documentElement;
  var article = null, original = null, annotated = null, requested = false, showing = false;

  function stored() {
    try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function store(on) {
    try { if (on) localStorage.setItem(KEY, "1"); else localStorage.removeItem(KEY); } catch (e) { /* private mode */ }
  }
  function payloadUrl() {
    var m = document.querySelector('meta[name="wq-pinyin"]');
    return m && m.getAttribute("content");
  }
  function buttons() { return document.querySelectorAll(".wq-pinyin-toggle"); }
  function setPressed(on) {
    Array.prototype.forEach.call(buttons(), function (b) { b.setAttribute("aria-pressed", on ? "true" : "false"); });
  }

  /* keep the reader's place: the first block visible before the swap stays at the same offset */
  function anchorBlock() {
    var blocks = article.querySelectorAll("h1,h2,h3,h4,h5,h6,p,li,tr,dt,dd,blockquote");
    for (var i = 0; i < blocks.length; i++) {
      var r = blocks[i].getBoundingClientRect();
      if (r.bottom > 0) return { index: i, top: r.top };
    }
    return null;
  }
  function restore(a) {
    if (!a) return;
    var el = article.querySelectorAll("h1,h2,h3,h4,h5,h6,p,li,tr,dt,dd,blockquote")[a.index];
    if (el) window.scrollBy(0, el.getBoundingClientRect().top - a.top);
  }

  function swap(on) {
    if (!article) return;
    var place = window.pageYOffset > 0 ? anchorBlock() : null;
    if (on) {
      if (!annotated || showing) return;
      /* move (not copy) the original nodes aside, so their listeners survive switching back */
      original = document.createDocumentFragment();
      while (article.firstChild) original.appendChild(article.firstChild);
      article.appendChild(annotated.cloneNode(true));
      showing = true;
    } else if (showing) {
      article.textContent = "";
      article.appendChild(original);
      original = null;
      showing = false;
    }
    if (place) restore(place);
    else if (location.hash) {
      var t = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (t) t.scrollIntoView();
    }
  }

  /* A visible line at the top of the article while the payload loads, or when it cannot. */
  function status(text, failed) {
    var el = document.getElementById("wq-pinyin-status");
    if (!text) { if (el) el.parentNode.removeChild(el); return; }
    if (!el) {
      el = document.createElement("p");
      el.id = "wq-pinyin-status";
      el.setAttribute("role", "status");
      article.parentNode.insertBefore(el, article);
    }
    el.className = "wq-pinyin-status" + (failed ? " wq-pinyin-status--failed" : "");
    el.textContent = text;
  }
  function payloadSize() {
    var m = document.querySelector('meta[name="wq-pinyin"]');
    var kb = m && m.getAttribute("data-kb");
    return kb ? "（约 " + kb + " KB）" : "";
  }

  function request() {
    var url = payloadUrl();
    if (requested || !url) return;
    requested = true;
    status("正在加载拼音" + payloadSize() + "……");
    var s = document.createElement("script");
    s.src = url;
    s.async = true;
    s.onerror = function () {
      requested = false;
      root.classList.remove("wq-pinyin-on");
      setPressed(false);
      status(navigator.onLine === false
        ? "现在没有网络，这一页的拼音加载不了。有网络时再点“拼音”。"
        : "这一页的拼音没有加载成功。请稍后再点“拼音”试一次。", true);
      s.parentNode && s.parentNode.removeChild(s);
    };
    document.head.appendChild(s);
  }

  function set(on) {
    if (!on) status("");
    store(on);
    setPressed(on);
    root.classList.toggle("wq-pinyin-on", on);
    if (on && !annotated) request();
    else swap(on);
  }

  window.wqPinyin = {
    /* called by <page>/pinyin.js */
    load: function (html) {
      var t = document.createElement("template");
      t.innerHTML = html;
      var rts = t.content.querySelectorAll("rt");
      for (var i = 0; i < rts.length; i++) rts[i].setAttribute("aria-hidden", "true");
      annotated = t.content;
      status("");
      if (root.classList.contains("wq-pinyin-on")) swap(true);
    },
    set: set
  };

  function init() {
    article = document.querySelector("article.md-content__inner");
    var bs = buttons();
    if (!article || !payloadUrl()) {  // nothing to annotate on this page
      Array.prototype.forEach.call(bs, function (b) { b.hidden = true; });
      return;
    }
    Array.prototype.forEach.call(bs, function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { set(b.getAttribute("aria-pressed") !== "true"); });
    });
    if (stored()) set(true);
    else setPressed(false);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
