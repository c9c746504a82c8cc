/* 拼音 toggle (weiquan). No network unless the reader turns pinyin on; then only this page's
 * <meta name="wq-pinyin" content="…pinyin.js"> payload is loaded, with a <script> tag (works
 * from file://). The payload is readings, not HTML (format: weiquan/zh/reading.py page_payload):
 *   wqPinyin.load({v: 2, h: "<one 汉字>", d: "还huán款kuǎn…", e: ["有配偶者与他人重chóng婚的", …]})
 * The live article is annotated in place: a text node whose 汉字 are exactly an entry's key is
 * replaced by text and one <ruby>字<rt aria-hidden="true">zì</rt></ruby> per character, and put
 * back when pinyin is turned off. Elements, their listeners, input values and focus are never
 * touched; a text node the payload does not know (changed or written by a script) stays plain. */
(function () {
  "use strict";
  var KEY = "wq.pinyin";
  /* the tags annotate_html leaves alone (reading.py _SKIP_TAGS; tests/test_reading.py checks) */
  var SKIP = /^(script|style|code|pre|kbd|samp|rt|rp|ruby|svg|math|textarea|template|noscript|select|option)$/;
  var SYLLABLE = "a-z\\u00e0-\\u024f\\u0300-\\u036f\\u1e00-\\u1eff\\-";
  var TOKEN = new RegExp("([\\ud800-\\udbff][\\udc00-\\udfff]|[^" + SYLLABLE + "])([" + SYLLABLE + "]*)", "g");
  var root = document.documentElement;
  var article = null, HAN = null, table = null;
  var requested = false, want = false, on = false, first = true;
  var done = [];          // {node, parts, parent}: text nodes replaced by annotated parts
  var observer = null;

  function stored() {
    try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function store(v) {
    try { if (v) localStorage.setItem(KEY, "1"); else localStorage.removeItem(KEY); } catch (e) { /* private mode */ }
  }
  function meta() { return document.querySelector('meta[name="wq-pinyin"]'); }
  function payloadUrl() { var m = meta(); return m && m.getAttribute("content"); }
  function buttons() { return document.querySelectorAll(".wq-pinyin-toggle"); }
  function setPressed(v) {
    Array.prototype.forEach.call(buttons(), function (b) { b.setAttribute("aria-pressed", v ? "true" : "false"); });
  }

  /* ---- the payload ------------------------------------------------------------------------ */
  function parse(s, usual) {        // "重chóng婚" -> {key: "重婚", rds: ["chóng", usual 婚]}
    var key = "", rds = [], m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(s))) {
      key += m[1];
      rds.push(m[2] === "-" ? "" : m[2] || (usual && usual[m[1]]) || "");
    }
    return { key: key, rds: rds };
  }
  function read(data) {
    var usual = {}, byKey = {}, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(data.d))) usual[m[1]] = m[2] === "-" ? "" : m[2];
    for (var i = 0; i < data.e.length; i++) {
      var e = parse(data.e[i], usual);
      if (!Object.prototype.hasOwnProperty.call(byKey, e.key)) byKey[e.key] = [];
      byKey[e.key].push(e.rds);
    }
    return byKey;
  }
  function keyOf(text) {
    var m = text.match(HAN);
    return m ? m.join("") : "";
  }
  function entriesFor(key) {
    return key && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : null;
  }

  /* ---- the live article -------------------------------------------------------------------- */
  function skipped(el) {
    return SKIP.test(el.localName) || (el.classList && el.classList.contains("wq-no-pinyin")) ||
      (el.getAttribute("translate") || "").toLowerCase() === "no";
  }
  function insideSkipped(el) {
    for (; el && el !== article; el = el.parentNode) if (el.nodeType === 1 && skipped(el)) return true;
    return !el;                     // not in the article (any more)
  }
  function textNodes(top) {
    var out = [], n;
    var walker = document.createTreeWalker(top, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (x) {
        if (x.nodeType === 3) return NodeFilter.FILTER_ACCEPT;
        return skipped(x) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
      }
    });
    while ((n = walker.nextNode())) out.push(n);
    return out;
  }
  function annotate(node, rds) {
    var text = node.data, parent = node.parentNode, parts = [], last = 0, k = 0, m;
    HAN.lastIndex = 0;
    while ((m = HAN.exec(text))) {
      var r = rds[k++];
      if (!r) continue;             // a character without a reading stays text
      if (m.index > last) parts.push(document.createTextNode(text.slice(last, m.index)));
      var ruby = document.createElement("ruby"), rt = document.createElement("rt");
      ruby.appendChild(document.createTextNode(m[0]));
      rt.setAttribute("aria-hidden", "true");
      rt.appendChild(document.createTextNode(r));
      ruby.appendChild(rt);
      parts.push(ruby);
      last = HAN.lastIndex;
    }
    if (!parts.length || !parent) return;
    if (last < text.length) parts.push(document.createTextNode(text.slice(last)));
    var frag = document.createDocumentFragment();
    for (var i = 0; i < parts.length; i++) frag.appendChild(parts[i]);
    parent.insertBefore(frag, node);
    parent.removeChild(node);
    done.push({ node: node, parts: parts, parent: parent });
  }
  function annotateAll() {
    var keyed = [], count = {}, seen = {};
    textNodes(article).forEach(function (n) {
      var key = keyOf(n.data);
      if (!entriesFor(key)) return;
      keyed.push([n, key]);
      count[key] = (count[key] || 0) + 1;
    });
    keyed.forEach(function (p) {
      var list = entriesFor(p[1]), i = seen[p[1]] = (seen[p[1]] || 0) + 1;
      /* a key read differently in different places: only when every place is still there */
      var rds = list.length === 1 ? list[0] : count[p[1]] === list.length ? list[i - 1] : null;
      if (rds) annotate(p[0], rds);
    });
  }
  function restoreAll() {
    for (var i = done.length - 1; i >= 0; i--) {
      var d = done[i], all = true, j;
      for (j = 0; j < d.parts.length; j++) if (d.parts[j].parentNode !== d.parent) all = false;
      if (all) d.parent.insertBefore(d.node, d.parts[0]);
      for (j = 0; j < d.parts.length; j++) {
        var p = d.parts[j];
        if (p.parentNode !== d.parent) continue;      // a script has replaced it: keep its text
        if (all) d.parent.removeChild(p);
        else if (p.nodeType === 1) d.parent.replaceChild(p.firstChild, p);
      }
    }
    done = [];
  }

  /* text a script writes while pinyin is on: readings if the payload has that very text */
  var WATCH = { childList: true, subtree: true };
  function later(records) {
    var nodes = [];
    records.forEach(function (rec) {
      Array.prototype.forEach.call(rec.addedNodes, function (n) {
        if (n.nodeType === 3) nodes.push(n);
        else if (n.nodeType === 1 && !skipped(n)) nodes.push.apply(nodes, textNodes(n));
      });
    });
    observer.disconnect();          // our own changes are not news
    nodes.forEach(function (n) {
      var list = entriesFor(keyOf(n.data));
      if (list && list.length === 1 && n.parentNode && !insideSkipped(n.parentNode)) annotate(n, list[0]);
    });
    observer.observe(article, WATCH);
  }

  /* ---- keeping the reader's place ------------------------------------------------------------ */
  function field(el) {
    return el && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || (el && el.isContentEditable);
  }
  function place() {
    var a = document.activeElement, el = null;
    if (field(a) && article.contains(a)) el = a;
    else if (window.pageYOffset > 0) {
      /* the first block that starts in view (below the header), else the one the view starts in */
      var header = document.querySelector(".md-header"), edge = header ? header.getBoundingClientRect().bottom : 0;
      var blocks = article.querySelectorAll("h1,h2,h3,h4,h5,h6,p,li,tr,dt,dd,blockquote"), r;
      for (var i = 0; i < blocks.length; i++) {
        r = blocks[i].getBoundingClientRect();
        if (r.top >= edge && r.top < window.innerHeight) { el = blocks[i]; break; }
        if (!el && r.bottom > edge && r.height) el = blocks[i];
      }
    }
    return el && { el: el, top: el.getBoundingClientRect().top };
  }
  function keep(p) {
    if (p) window.scrollBy(0, p.el.getBoundingClientRect().top - p.top);
    else if (first && location.hash) {
      var t = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (t) t.scrollIntoView();
    }
  }

  function show(v) {
    if (!article || !table || v === on) return;
    var p = place();
    if (observer) observer.disconnect();
    if (v) {
      root.classList.add("wq-pinyin-on");
      annotateAll();
      if (window.MutationObserver) {
        observer = observer || new MutationObserver(later);
        observer.observe(article, WATCH);
      }
    } else {
      restoreAll();
      root.classList.remove("wq-pinyin-on");
    }
    on = v;
    keep(p);
    first = false;
  }

  /* ---- loading ------------------------------------------------------------------------------- */
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
    var m = meta(), kb = m && m.getAttribute("data-kb");
    return kb ? "（约 " + kb + " KB）" : "";
  }
  function failed() {
    requested = false;
    want = false;
    setPressed(false);
    status(navigator.onLine === false
      ? "现在没有网络，这一页的拼音加载不了。有网络时再点“拼音”。"
      : "这一页的拼音没有加载成功。请稍后再点“拼音”试一次。", true);
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
      failed();
      if (s.parentNode) s.parentNode.removeChild(s);
    };
    document.head.appendChild(s);
  }

  function set(v) {
    want = v;
    store(v);
    setPressed(v);
    if (!v) status("");
    if (v && !table) request();
    else show(v);
  }

  window.wqPinyin = {
    /* called by <page>.pinyin.js */
    load: function (data) {
      if (table) return;
      try {
        if (!data || data.v !== 2 || !data.e) throw new Error("payload format");
        HAN = new RegExp(data.h, "g");
        table = read(data);
      } catch (e) {                 // e.g. an older payload kept by a cache
        table = null;
        failed();
        return;
      }
      status("");
      if (want) show(true);
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
      /* tapping 拼音 while typing leaves the cursor in the field */
      b.addEventListener("mousedown", function (e) { if (field(document.activeElement)) e.preventDefault(); });
      b.addEventListener("click", function () { set(b.getAttribute("aria-pressed") !== "true"); });
    });
    if (stored()) set(true);
    else setPressed(false);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
