/* weiquan pinyin-aware search client.
 *
 * Mirrors weiquan/terms.py (normalize_query, query_terms, score_doc) and
 * weiquan/searchindex.py (lookup, rank) EXACTLY; all data tables (syllables, tone marks,
 * traditional->simplified, weights) come from the index manifest written by Python.
 * Index files are scripts calling window.wqSearch.add(name, data), loaded with <script src>
 * (works from file://).  Nothing is loaded before the search box is focused or typed in.
 * ES5 on purpose (old phone browsers).
 */
(function (root) {
  "use strict";
  var W = root.wqSearch = root.wqSearch || {};
  var cache = {}, waiters = {};

  W.add = function (name, data) {
    cache[name] = data;
    var ws = waiters[name] || [];
    delete waiters[name];
    for (var i = 0; i < ws.length; i++) ws[i][0](data);
  };

  /* ------------------------------------------------------------ loading */
  W.base = "search/";
  W.loader = function (name) {            // replaced in node tests
    return new Promise(function (resolve, reject) {
      if (Object.prototype.hasOwnProperty.call(cache, name)) { resolve(cache[name]); return; }
      var first = !waiters[name];
      (waiters[name] = waiters[name] || []).push([resolve, reject]);
      if (!first) return;
      var s = document.createElement("script");
      s.src = W.base + name + ".js";
      s.async = true;
      s.onerror = function () {
        var ws = waiters[name] || [];
        delete waiters[name];
        for (var i = 0; i < ws.length; i++) ws[i][1](new Error("load " + name));
      };
      document.head.appendChild(s);
    });
  };
  function load(name) { return W.loader(name); }
  function loadAll(names) { return Promise.all(names.map(load)); }

  /* ------------------------------------------------------------ terms (mirror of terms.py) */
  var M = null, TB = null, SYL = null, PRE = null, TONES = null, CJK1 = null, CJKRUN = null;

  function setManifest(m) {
    M = m; TB = m.tables;
    SYL = {}; PRE = {}; TONES = {};
    var syl = TB.syl.split(" "), i, j;
    for (i = 0; i < syl.length; i++) SYL[syl[i]] = 1;
    for (i = 0; i < syl.length; i++)
      for (j = 1; j < syl[i].length; j++) if (!SYL[syl[i].slice(0, j)]) PRE[syl[i].slice(0, j)] = 1;
    for (i = 0; i + 1 < TB.tones.length; i += 2) TONES[TB.tones.charAt(i)] = TB.tones.charAt(i + 1);
    CJK1 = new RegExp("^[" + TB.cjk + "]");
    CJKRUN = new RegExp("[" + TB.cjk + "]+", "g");
  }
  W.setManifest = setManifest;

  var T2S = null;
  function setT2S(s) {                   // z.js: "繁简繁简…"
    if (T2S) return;
    T2S = {};
    for (var i = 0; i + 1 < s.length; i += 2) T2S[s.charAt(i)] = s.charAt(i + 1);
  }
  /* The manifest and the t2s table load on focus, while the reader starts typing. */
  function ready() {
    return Promise.all([load("manifest"), load("z")]).then(function (res) {
      if (M !== res[0]) setManifest(res[0]);
      setT2S(res[1]);
    });
  }

  function normalizeText(text) {
    text = text.normalize ? text.normalize("NFC") : text;
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i), o = text.charCodeAt(i);
      if (o >= 0xFF01 && o <= 0xFF5E) c = String.fromCharCode(o - 0xFEE0);
      else if (c === "\u3000") c = " ";
      if (Object.prototype.hasOwnProperty.call(TONES, c)) c = TONES[c];
      if (c.charCodeAt(0) < 128) c = c.toLowerCase();
      else if (T2S && T2S[c]) c = T2S[c];
      out += c;
    }
    return out;
  }

  var CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9};
  var CN_UNITS = {"十": 10, "百": 100, "千": 1000};
  function cnToInt(t) {
    if (/^[0-9]+$/.test(t)) return parseInt(t, 10);
    var i, hasUnit = false;
    for (i = 0; i < t.length; i++) if (CN_UNITS[t.charAt(i)]) hasUnit = true;
    if (!hasUnit) {
      var s = "";
      for (i = 0; i < t.length; i++) s += CN_DIGITS[t.charAt(i)];
      return parseInt(s, 10);
    }
    var total = 0, digit = null;
    for (i = 0; i < t.length; i++) {
      var c = t.charAt(i);
      if (Object.prototype.hasOwnProperty.call(CN_DIGITS, c)) digit = CN_DIGITS[c];
      else { total += (digit === null ? 1 : digit) * CN_UNITS[c]; digit = null; }
    }
    return total + (digit || 0);
  }
  function articleToken(num, sub) {
    return "#" + cnToInt(num) + (sub ? "-" + cnToInt(sub) : "");
  }

  function normalizeQuery(q) {
    q = normalizeText(q);
    q = q.replace(/([a-z])[1-5](?![0-9])/g, "$1");
    var NUM = "(?:[0-9]+|[" + TB.num + "]{1,8})";
    var re = new RegExp("第?(" + NUM + ")条(?:之(" + NUM + "))?|第([0-9]+)|([0-9]+)", "g");
    q = q.replace(re, function (m0, g1, g2, g3, g4) {
      var num = g1 || g3 || g4;
      if (/^[0-9]+$/.test(num) && num.length > 4) return m0;
      return " " + articleToken(num, g1 ? g2 : null) + " ";
    });
    return q.split(/\s+/).filter(function (x) { return x; }).join(" ");
  }

  function latinParses(chunks) {
    var s = chunks.join(""), n = s.length, bounds = [], p = 0, i, j;
    for (i = 0; i < chunks.length - 1; i++) { p += chunks[i].length; bounds.push(p); }
    function ok(a, b) {
      for (var k = 0; k < bounds.length; k++) if (a < bounds[k] && bounds[k] < b) return false;
      var piece = s.slice(a, b);
      return SYL[piece] === 1 || (b === n && PRE[piece] === 1);
    }
    var INF = 1e9, best = [];
    for (i = 0; i <= n; i++) best.push(INF);
    best[n] = 0;
    for (i = n - 1; i >= 0; i--)
      for (j = Math.min(n, i + 6); j > i; j--)
        if (ok(i, j) && best[j] + 1 < best[i]) best[i] = best[j] + 1;
    if (best[0] >= INF) return [];
    var limit = best[0] <= 2 ? best[0] + 1 : best[0], found = [], acc = [];
    function dfs(a) {
      if (found.length >= 20) return;
      if (a === n) { found.push(acc.slice()); return; }
      for (var b = Math.min(n, a + 6); b > a; b--) {
        if (ok(a, b) && best[b] < INF && acc.length + 1 + best[b] <= limit) {
          acc.push(s.slice(a, b)); dfs(b); acc.pop();
        }
      }
    }
    dfs(0);
    found.sort(function (x, y) {
      if (x.length !== y.length) return x.length - y.length;
      var a = x.join(" "), b = y.join(" ");
      return a < b ? -1 : a > b ? 1 : 0;
    });
    return found.slice(0, TB.maxParses);
  }

  function initials(chunks) {
    var s = chunks.join(""), out = [s], c = s.replace(/([zcs])h/g, "$1");
    if (c !== s) out.push(c);
    return out;
  }

  function latinRun(chunks) {
    var alts = [], parses = latinParses(chunks), i, j;
    for (i = 0; i < parses.length; i++) {
      var ps = parses[i];
      if (ps.length === 1) { if (SYL[ps[0]] === 1) alts.push([ps[0] + " *"]); continue; }
      var groups = [];
      for (j = 0; j + 1 < ps.length; j++) groups.push(ps[j] + " " + ps[j + 1]);
      groups[groups.length - 1] += "*";
      alts.push(groups);
    }
    if (alts.length || parses.length) return alts;
    var inis = initials(chunks);
    for (i = 0; i < inis.length; i++) {
      var ini = inis[i];
      if (ini.length === 3) alts.push(["=" + ini]);
      else if (ini.length >= 4) {
        var g = [];
        for (j = 0; j + 4 <= ini.length; j++) g.push("=" + ini.slice(j, j + 4));
        alts.push(g);
      }
    }
    return alts;
  }

  function queryTerms(q) {
    var nq = normalizeQuery(q), runs = [], hl = [], latin = [], latinLen = 0;
    function flush() {
      if (latin.length) { var alts = latinRun(latin); if (alts.length) runs.push(alts); }
      latin = []; latinLen = 0;
    }
    var re = new RegExp("#[0-9]+(?:-[0-9]+)?|[" + TB.cjk + "]+|[a-z]+|\\S", "g"), m;
    while ((m = re.exec(nq))) {
      var tok = m[0];
      if (tok.charAt(0) === "#") { flush(); runs.push([[tok]]); }
      else if (CJK1.test(tok)) {
        flush(); hl.push(tok);
        if (tok.length === 1) runs.push([[tok + "*"]]);
        else {
          var g = [];
          for (var j = 0; j + 1 < tok.length; j++) g.push(tok.slice(j, j + 2));
          runs.push([g]);
        }
      } else if (tok.charAt(0) >= "a" && tok.charAt(0) <= "z") {
        tok = tok.slice(0, Math.max(0, TB.maxLatin - latinLen));
        if (tok) { latin.push(tok); latinLen += tok.length; }
      } else flush();
    }
    flush();
    return {q: nq, runs: runs, hl: hl};
  }

  function queryGroups(qt) {
    var seen = {}, out = [];
    qt.runs.forEach(function (run) { run.forEach(function (alt) { alt.forEach(function (g) {
      if (!seen[g]) { seen[g] = 1; out.push(g); }
    }); }); });
    return out;
  }

  function fieldWeight(f) { return f === 2 ? TB.tw : f === 1 ? TB.kw : TB.fw; }

  function scoreDoc(qt, hits, truncated, kind) {
    var covSum = 0, total = 0, nRuns = 0, B = TB.bonus;
    for (var r = 0; r < qt.runs.length; r++) {
      var run = qt.runs[r], bestC = -1, bestS = 0;
      for (var a = 0; a < run.length; a++) {
        var alt = run[a], matched = 0, known = 0, score = 0, all1 = true, all2 = true;
        for (var gi = 0; gi < alt.length; gi++) {
          var cls = hits[alt[gi]];
          if (!cls || !cls.length) {
            all1 = all2 = false;
            if (!truncated[alt[gi]]) known++;
            continue;
          }
          matched++; known++;
          var mx = 0, h1 = false, h2 = false;
          for (var ci = 0; ci < cls.length; ci++) {
            mx = Math.max(mx, fieldWeight(cls[ci] >> 2));
            if (cls[ci] >> 2 === 1) h1 = true;
            if (cls[ci] >> 2 === 2) h2 = true;
          }
          score += mx;
          if (!h1) all1 = false;
          if (!h2) all2 = false;
        }
        if (!known) continue;
        var bonus = 0, specs = [[2, all2, "t_whole", "t_start", "t_all"], [1, all1, "k_whole", "k_start", "k_all"]];
        for (var si = 0; si < 2; si++) {
          var f = specs[si][0];
          if (!specs[si][1]) continue;
          var first = hasFlag(hits[alt[0]], f, 1), last = hasFlag(hits[alt[alt.length - 1]], f, 2);
          var b = first && last ? B[specs[si][2]] : first ? B[specs[si][3]] : B[specs[si][4]];
          bonus = Math.max(bonus, b);
        }
        var c = matched / known, s = score + bonus;
        if (c > bestC || (c === bestC && s > bestS)) { bestC = c; bestS = s; }
      }
      if (bestC < 0) continue;   // every group capped and unmatched: unknown
      nRuns++; covSum += bestC; total += bestS;
    }
    if (!nRuns) return [0, 0];
    return [covSum / nRuns, total + (TB.kinds[kind] || 0)];
  }
  function hasFlag(cls, f, flag) {
    for (var i = 0; i < cls.length; i++) if (cls[i] >> 2 === f && (cls[i] & flag)) return true;
    return false;
  }

  /* ------------------------------------------------------------ lookup (mirror of searchindex.py) */
  function shardOf(bounds, term) {       // bisect_right - 1
    var lo = 0, hi = bounds.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (term < bounds[mid]) hi = mid; else lo = mid + 1; }
    return Math.max(0, lo - 1);
  }

  function neededShards(groups) {
    var names = {}, plan = {};
    groups.forEach(function (g) {
      if (g.charAt(g.length - 1) === "*") {
        var p = g.slice(0, -1), a = shardOf(M.t, p), b = shardOf(M.t, p + "\uffff");
        if (b - a + 1 > TB.maxPrefixShards) { plan[g] = null; return; }
        plan[g] = [];
        for (var n = a; n <= b; n++) { plan[g].push(n); names["t/" + n] = 1; }
      } else { var k = shardOf(M.t, g); plan[g] = [k]; names["t/" + k] = 1; }
    });
    return {names: Object.keys(names), plan: plan};
  }

  function decodePostings(s, fn) {
    var truncated = s.charAt(0) === "!";
    if (truncated) s = s.slice(1);
    if (!s) return truncated;
    var segs = s.split("|");
    for (var i = 0; i < segs.length; i++) {
      var cls = parseInt(segs[i].charAt(0), 16), parts = segs[i].slice(1).split(","), prev = 0;
      for (var j = 0; j < parts.length; j++) { prev += parseInt(parts[j], 36); fn(prev, cls); }
    }
    return truncated;
  }

  function kindOf(doc) {
    var k = M.kinds[0][0];
    for (var i = 0; i < M.kinds.length; i++) if (doc >= M.kinds[i][1]) k = M.kinds[i][0];
    return k;
  }

  function rank(qt, plan) {
    var hits = {}, truncated = {}, forms = {}, groups = queryGroups(qt);
    groups.forEach(function (g) {
      var shards = plan[g];
      if (shards === null) { truncated[g] = 1; return; }
      var entries = [], p = g.slice(0, -1), isPrefix = g.charAt(g.length - 1) === "*";
      shards.forEach(function (n) {
        var sh = cache["t/" + n];
        if (isPrefix) { for (var t in sh) if (t.lastIndexOf(p, 0) === 0) entries.push(sh[t]); }
        else if (Object.prototype.hasOwnProperty.call(sh, g)) entries.push(sh[g]);
      });
      var fl = [];
      entries.forEach(function (v) {
        var enc = typeof v === "string" ? v : v[0], f = typeof v === "string" ? "" : v[1];
        var capped = decodePostings(enc, function (doc, cls) {
          var h = hits[doc] || (hits[doc] = {}), c = h[g] || (h[g] = []);
          if (c.indexOf(cls) < 0) c.push(cls);
        });
        if (capped) truncated[g] = 1;
        if (f) f.split(",").forEach(function (x) { if (fl.indexOf(x) < 0) fl.push(x); });
      });
      forms[g] = fl;
    });
    var scored = [];
    for (var d in hits) {
      var doc = +d, sc = scoreDoc(qt, hits[d], truncated, kindOf(doc));
      if (sc[0] >= TB.minCov) scored.push([doc, sc[0], sc[1]]);
    }
    scored.sort(function (a, b) { return (b[1] - a[1]) || (b[2] - a[2]) || (a[0] - b[0]); });
    return {scored: scored, hits: hits, forms: forms};
  }

  function docShard(doc) {
    var lo = 0, hi = M.d.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (doc < M.d[mid]) hi = mid; else lo = mid + 1; }
    return lo - 1;
  }

  /* Query terms and ranking: Promise of {qt, ranked} (ranked null if nothing to look up).
     Only the term shards of the query are on this path. */
  function prepare(q) {
    return ready().then(function () {
      var qt = queryTerms(q), groups = queryGroups(qt), need = neededShards(groups);
      if (!groups.length) return {qt: qt, ranked: null};
      return loadAll(need.names).then(function () { return {qt: qt, ranked: rank(qt, need.plan)}; });
    });
  }
  /* Full search: returns Promise of {qt, total, results: [{doc, rec, marks}]} */
  function search(q, limit) {
    return prepare(q).then(function (p) {
      if (!p.ranked) return {qt: p.qt, total: 0, results: [], ranked: null, from: 0};
      return fetchDocs(p.qt, p.ranked, 0, limit);
    });
  }
  /* How many of the top results come from at most maxShards doc shards (shown first). */
  function firstCount(r, limit, maxShards) {
    var seen = {}, n = 0, k, top = r.scored.slice(0, limit);
    for (k = 0; k < top.length; k++) {
      var sh = docShard(top[k][0]);
      if (!seen[sh]) { if (n === maxShards) break; seen[sh] = 1; n++; }
    }
    return k;
  }
  function fetchDocs(qt, r, from, limit) {
    var top = r.scored.slice(from, from + limit), names = {};
    top.forEach(function (s) { names["d/" + docShard(s[0])] = 1; });
    return loadAll(Object.keys(names)).then(function () {
      return {qt: qt, total: r.scored.length, ranked: r, from: from, results: top.map(function (s) {
        var n = docShard(s[0]), rec = cache["d/" + n][s[0] - M.d[n]], marks = qt.hl.slice();
        var h = r.hits[s[0]];
        for (var g in h) (r.forms[g] || []).forEach(function (f) { marks.push(f); });
        return {doc: s[0], cov: s[1], score: s[2], rec: rec, marks: marks};
      })};
    });
  }

  W.core = {normalizeQuery: normalizeQuery, queryTerms: queryTerms, scoreDoc: scoreDoc,
    rank: rank, neededShards: neededShards, queryGroups: queryGroups, search: search,
    fetchDocs: fetchDocs, setManifest: setManifest, setT2S: setT2S, prepare: prepare,
    firstCount: firstCount, cache: cache};

  /* ------------------------------------------------------------ UI */
  if (typeof document === "undefined") return;

  var KIND_LABEL = {law: "法律", article: "法律条文", "case": "案例", guide: "指南", station: "服务站", campaign: "活动"};
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
        html += '<li class="wq-result wq-result--' + esc(kind) + '">' +
          '<a class="wq-result__link" href="' + esc(rootUrl + rec[1]) + '">' +
          '<span class="wq-result__kind">' + esc(KIND_LABEL[kind] || kind) + "</span> " +
          '<span class="wq-result__title">' + highlight(head, r.marks) + "</span>" +
          (parent && kind !== "article" ? ' <span class="wq-result__parent">' + esc(parent) + "</span>" : "") +
          (rec[4] ? '<span class="wq-result__snippet">' + snippet(rec[4], r.marks) + "</span>" : "") +
          "</a>" +
          (rec[5] ? ' <a class="wq-result__phone" href="tel:' + esc(rec[5].replace(/[^0-9+]/g, "")) + '">☎ ' + esc(rec[5]) + "</a>" : "") +
          "</li>";
      });
      var more = list.querySelector(".wq-search__more");
      if (more) more.parentNode.removeChild(more);
      list.insertAdjacentHTML("beforeend", html);
      var shown = res.from + res.results.length;
      if (shown < res.total && !pending) {
        list.insertAdjacentHTML("beforeend", '<li class="wq-search__more"><button type="button">更多结果（共 ' + res.total + " 条）</button></li>");
      }
      status.textContent = res.total ? "找到 " + res.total + " 条结果" : (res.qt.runs.length ? "没有找到结果，换个说法试试" : "请再多输入几个字或拼音");
      form.classList.toggle("wq-search--open", true);
    }

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
      }).then(null, function () { if (my === seq) status.textContent = "搜索暂时不可用"; });
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
