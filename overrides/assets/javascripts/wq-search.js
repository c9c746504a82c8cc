/* weiquan search box: the panel, results, help when nothing matches.
 *
 * Query reading and ranking live in wq-search-core.js (mirror of weiquan/zh/terms.py), loaded
 * with the index manifest when the box is first focused; nothing is downloaded before.
 * ES5 on purpose (old phone browsers).
 */
(function (root) {
  "use strict";
  var W = root.wqSearch = root.wqSearch || {};
  if (typeof document === "undefined") return;

  /* The core script, loaded once (on focus or the first key). */
  var coreLoading = null;
  function core() {
    if (W.core) return Promise.resolve(W.core);
    if (coreLoading) return coreLoading;
    coreLoading = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = (W.root || "") + "assets/javascripts/wq-search-core.js";
      s.async = true;
      s.onload = function () { if (W.core) resolve(W.core); else reject(new Error("core")); };
      s.onerror = function () { coreLoading = null; s.parentNode.removeChild(s); reject(new Error("core")); };
      document.head.appendChild(s);
    });
    return coreLoading;
  }
  function ready() { return core().then(function (c) { return c.ready().then(function () { return c; }); }); }
  function prepare(q) { return core().then(function (c) { return c.prepare(q); }); }
  function fetchDocs(qt, r, from, limit) { return W.core.fetchDocs(qt, r, from, limit); }
  function firstCount(r, limit, maxShards) { return W.core.firstCount(r, limit, maxShards); }
  function manifest() { return W.core ? W.core.manifest() : null; }

  var KIND_LABEL = {law: "法律", article: "法律条文", "case": "案例", guide: "指南", station: "服务站", campaign: "活动",
    hotline: "热线", page: "本站"};
  var HINT = ["家暴", "离婚", "保护令"];
  var PAGE = 8, FIRST_SHARDS = 3;   // the first results show once their ≤3 doc shards are in

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c];
    });
  }
  function markRanges(text, marks) {
    var on = [], i;
    for (i = 0; i < text.length; i++) on.push(false);
    marks.forEach(function (m) {
      if (!m) return;
      var at = text.indexOf(m);
      while (at >= 0) { for (i = at; i < at + m.length; i++) on[i] = true; at = text.indexOf(m, at + 1); }
    });
    return on;
  }
  function highlight(text, marks, from, to) {
    var on = markRanges(text, marks), out = "", inMark = false;
    from = from || 0; to = to === undefined ? text.length : to;
    for (var i = from; i < to; i++) {
      if (on[i] && !inMark) { out += "<mark>"; inMark = true; }
      if (!on[i] && inMark) { out += "</mark>"; inMark = false; }
      out += esc(text.charAt(i));
    }
    return out + (inMark ? "</mark>" : "");
  }
  function snippet(text, marks) {
    var on = markRanges(text, marks), first = on.indexOf(true), start = 0, len = 70;
    if (first > 20) start = first - 20;
    var end = Math.min(text.length, start + len);
    return (start > 0 ? "…" : "") + highlight(text, marks, start, end) + (end < text.length ? "…" : "");
  }
  W.highlight = highlight;

  /* The everyday question of a result that the query asks best ("这篇回答：…"), or "". */
  function bestQuestion(qs, marks) {
    var best = "", bestN = 0;
    (qs || []).forEach(function (q) {
      var on = markRanges(q, marks), n = 0;
      for (var i = 0; i < on.length; i++) if (on[i]) n++;
      if (n > bestN) { best = q; bestN = n; }
    });
    return bestN >= 2 ? best : "";
  }

  function telHref(n) { return "tel:" + String(n).replace(/[^0-9+]/g, ""); }

  /* Hotlines for the help panel: from the manifest, else from the page's own call links. */
  function helpHotlines() {
    var M = manifest();
    if (M && M.help && M.help.hotlines.length) return M.help.hotlines;
    var out = [], seen = {};
    var links = document.querySelectorAll(".wq-dock a[href^='tel:'], .wq-hotlines-bar a[href^='tel:']");
    for (var i = 0; i < links.length; i++) {
      var h = links[i].getAttribute("href");
      if (seen[h]) continue;
      seen[h] = 1;
      var num = links[i].querySelector("strong"), lab = links[i].querySelector("span");
      out.push([num ? num.textContent : h.slice(4), lab ? lab.textContent : ""]);
    }
    return out;
  }

  function init(form) {
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector(".wq-search__results");
    var status = form.querySelector(".wq-search__status");
    var meta = document.querySelector('meta[name="wq-root"]');
    var rootUrl = meta ? meta.getAttribute("content") : "";
    if (rootUrl && rootUrl.charAt(rootUrl.length - 1) !== "/") rootUrl += "/";
    W.base = rootUrl + (form.getAttribute("data-wq-index") || "search/");
    W.root = rootUrl;
    var seq = 0, timer = null, lastInput = 0, current = null;

    function warm() { ready().then(null, function () {}); }
    input.addEventListener("focus", warm);

    function render(res, append, pending) {
      if (!append) list.innerHTML = "";
      var html = "";
      res.results.forEach(function (r, i) {
        var rec = r.rec, kind = rec[0], title = rec[2], parent = rec[3];
        var head = kind === "article" ? parent + " " + title : title;
        var ask = bestQuestion(rec[7], r.marks);
        html += '<li class="wq-result wq-result--' + esc(kind) + '">' +
          '<a class="wq-result__link" href="' + esc(rootUrl + rec[1]) + '">' +
          '<span class="wq-result__kind">' + esc(KIND_LABEL[kind] || kind) + "</span> " +
          '<span class="wq-result__title">' + highlight(head, r.marks) + "</span>" +
          (parent && kind !== "article" ? ' <span class="wq-result__parent">' + esc(parent) + "</span>" : "") +
          (ask ? '<span class="wq-result__ask">这篇回答：' + highlight(ask, r.marks) + "</span>" : "") +
          (rec[4] ? '<span class="wq-result__snippet">' + snippet(rec[4], r.marks) + "</span>" : "") +
          "</a>" +
          (rec[5] ? ' <a class="wq-result__phone" href="' + esc(telHref(rec[5])) + '">☎ ' + esc(rec[5]) + "</a>" : "") +
          "</li>";
      });
      var more = list.querySelector(".wq-search__more");
      if (more) more.parentNode.removeChild(more);
      list.insertAdjacentHTML("beforeend", html);
      var shown = res.from + res.results.length;
      if (shown < res.total && !pending) {
        list.insertAdjacentHTML("beforeend", '<li class="wq-search__more"><button type="button">更多结果（共 ' + res.total + " 条）</button></li>");
      }
      if (res.total) status.textContent = "找到 " + res.total + " 条结果";
      else help(res.qt.runs.length ? "没有找到和“" + input.value.trim() + "”有关的内容。" : "请再多输入几个字。", false);
      open();
    }

    /* Never a dead end: hotlines to call, the guides most people need, a hint. Offline: say
       plainly that only the saved content can be searched. */
    function help(message, offline) {
      var M = manifest(), hl = helpHotlines(), guides = M && M.help ? M.help.guides : [];
      status.textContent = message + (offline ? "" : "试试说得简单些，比如 " + HINT.join("、") + "。");
      var html = '<li class="wq-search__help">';
      if (!offline) {
        html += '<p class="wq-search__hint">试试：' + HINT.map(function (w) {
          return '<button type="button" class="wq-search__try" data-q="' + esc(w) + '">' + esc(w) + "</button>";
        }).join(" ") + "</p>";
      }
      if (hl.length) {
        html += '<p class="wq-search__calls">可以直接打电话求助：</p><ul class="wq-search__tels">' + hl.map(function (h) {
          return '<li><a class="wq-search__tel" href="' + esc(telHref(h[0])) + '"><strong>' + esc(h[0]) + "</strong> " + esc(h[1]) + "</a></li>";
        }).join("") + "</ul>";
      }
      if (guides.length) {
        html += '<p class="wq-search__calls">大家常看的：</p><ul class="wq-search__guides">' + guides.map(function (g) {
          return '<li><a class="wq-search__guide" href="' + esc(rootUrl + g[0]) + '">' + esc(g[1]) + "</a></li>";
        }).join("") + "</ul>";
      } else {
        html += '<p><a class="wq-search__guide" href="' + esc(rootUrl + "guides/") + '">维权指南：遇到问题怎么办</a></p>';
      }
      list.innerHTML = html + "</li>";
      open();
    }

    function failed() {
      var local = root.location && root.location.protocol === "file:";
      var msg = local ? "这是保存在手机里的离线版，只能搜索已经保存的内容，这部分没有保存。"
        : root.navigator && root.navigator.onLine === false
          ? "现在没有网络，只能搜索已经保存在手机里的内容，这部分还没有保存。"
          : "搜索用的内容没能下载下来（网络不好时，只能搜索已经保存的内容）。可以稍后再试。";
      help(msg, true);
    }

    /* The panel sits between the search box and the call bar at the bottom (never over either). */
    function place() {
      var panel = form.querySelector(".wq-search__panel");
      if (!panel || !form.classList.contains("wq-search--open")) return;
      var r = input.getBoundingClientRect(), bottom = root.innerHeight || document.documentElement.clientHeight;
      var bars = document.querySelectorAll(".wq-float, .wq-dock");
      for (var i = 0; i < bars.length; i++) {
        var b = bars[i].getBoundingClientRect();
        if (b.height && b.top > r.bottom && b.top < bottom) bottom = b.top;
      }
      var fixed = root.getComputedStyle && getComputedStyle(panel).position === "fixed";
      if (fixed) panel.style.top = Math.round(r.bottom + 2) + "px";
      panel.style.maxHeight = Math.max(96, Math.floor(bottom - r.bottom - 6)) + "px";
    }
    function open() { form.classList.toggle("wq-search--open", true); place(); }
    root.addEventListener("resize", place);
    root.addEventListener("scroll", place, {passive: true});

    function now() { return root.performance ? performance.now() : Date.now(); }

    function run() {
      var q = input.value, my = ++seq, first = 0;
      if (!q.replace(/\s+/g, "")) { list.innerHTML = ""; status.textContent = ""; form.classList.remove("wq-search--open"); return; }
      function done(res) {
        W.stats = {q: q, ms: (first || now()) - lastInput, full: now() - lastInput, n: res.total,
          ids: (current && current.results || []).map(function (r) { return r.rec[6]; })};
        form.setAttribute("data-wq-done", String(my));
      }
      prepare(q).then(function (p) {
        if (my !== seq) return;
        if (!p.ranked) { current = {qt: p.qt, total: 0, results: [], from: 0}; render(current, false); done(current); return; }
        // First the results whose doc shards are few (each file costs the phone several ms),
        // then the rest of the page.
        var n = firstCount(p.ranked, PAGE, FIRST_SHARDS), rest = Math.min(PAGE, p.ranked.scored.length) - n;
        return fetchDocs(p.qt, p.ranked, 0, n).then(function (res) {
          if (my !== seq) return;
          current = res; render(res, false, rest > 0); first = now();
          if (rest <= 0) { done(res); return; }
          return fetchDocs(p.qt, p.ranked, n, rest).then(function (more) {
            if (my !== seq) return;
            var all = {qt: more.qt, total: more.total, ranked: more.ranked, from: 0,
                       results: res.results.concat(more.results)};
            render(more, true); current = all; done(all);
          });
        });
      }).then(null, function () { if (my === seq) { current = null; failed(); done({total: 0}); } });
    }

    input.addEventListener("input", function () {
      var now = root.performance ? performance.now() : Date.now(), gap = now - lastInput;
      lastInput = now;
      clearTimeout(timer);
      // An IME commit or a first key after a pause runs at once; fast typing is debounced.
      if (gap > 300) run(); else timer = setTimeout(run, 50);
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var a = list.querySelector("a.wq-result__link");
      if (a) a.click();
    });
    list.addEventListener("click", function (e) {
      var tryq = e.target.closest ? e.target.closest(".wq-search__try") : null;
      if (tryq) { input.value = tryq.getAttribute("data-q"); input.focus(); run(); return; }
      var btn = e.target.closest ? e.target.closest(".wq-search__more button") : null;
      if (!btn || !current) return;
      fetchDocs(current.qt, current.ranked, current.from + current.results.length, PAGE).then(function (res) {
        current = res; render(res, true);
      });
    });
    form.addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a.wq-result__link"));
      var i = links.indexOf(document.activeElement);
      if (e.key === "ArrowDown" || e.key === "Down") {
        e.preventDefault(); if (links.length) links[Math.min(links.length - 1, i + 1)].focus();
      } else if (e.key === "ArrowUp" || e.key === "Up") {
        e.preventDefault(); if (i <= 0) input.focus(); else links[i - 1].focus();
      } else if (e.key === "Escape" || e.key === "Esc") {
        if (document.activeElement !== input) input.focus();
        else { input.value = ""; run(); }
      }
    });
  }

  function boot() {
    var forms = document.querySelectorAll("form[data-wq-search]");
    for (var i = 0; i < forms.length; i++) init(forms[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})(typeof window !== "undefined" ? window : globalThis);
