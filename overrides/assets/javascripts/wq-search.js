/* weiquan pinyin-aware search client.
 *
 * Mirrors weiquan/zh/terms.py (normalize_query, query_terms, score_doc, the query Rules:
 * stop words and the thesaurus of content/synonyms.yaml) and weiquan/search/index.py (lookup,
 * rank) EXACTLY; all data tables (syllables, tone marks, traditional->simplified, weights,
 * stop words, thesaurus) come from the index manifest written by Python.
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
  var STOP = null, KEEP = null, SYN = null, MAXLEN = 1;
  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }

  function setManifest(m) {
    M = m; TB = m.tables;
    STOP = {}; KEEP = {}; SYN = {}; MAXLEN = 1;
    var R = m.rules || {stop: "", keep: "", syn: {}}, words = [], w;
    (R.stop ? R.stop.split(" ") : []).forEach(function (x) { STOP[x] = 1; words.push(x); });
    (R.keep ? R.keep.split(" ") : []).forEach(function (x) { KEEP[x] = 1; words.push(x); });
    (R.syn || []).forEach(function (line) {      // "word word …|meaning meaning …"
      var parts = line.split("|"), means = parts[1].split(" ");
      parts[0].split(" ").forEach(function (x) { SYN[x] = means; words.push(x); });
    });
    words.forEach(function (x) { if (x.length > MAXLEN) MAXLEN = x.length; });
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
      if (g4 && num.length >= 3) return " " + num + " ";    // a bare number: phone / hotline
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

  /* Query rules (mirror of terms.scan / core_text / _cjk_runs). */
  function scan(run, thesaurus) {
    var out = [], i = 0, n = run.length;
    while (i < n) {
      var hit = ["text", run.charAt(i)];
      for (var size = Math.min(MAXLEN, n - i); size > 0; size--) {
        var w = run.substr(i, size);
        if (thesaurus && has(SYN, w)) hit = ["syn", w];
        else if (has(KEEP, w)) hit = ["text", w];
        else if (has(STOP, w)) hit = ["stop", w];
        else continue;
        break;
      }
      out.push(hit);
      i += hit[1].length;
    }
    return out;
  }
  function coreText(text) {
    var re = new RegExp("[" + TB.cjk + "]+|[0-9]+", "g"), m, out = "", t = normalizeText(text);
    while ((m = re.exec(t))) {
      if (/^[0-9]/.test(m[0])) { out += m[0]; continue; }
      scan(m[0], false).forEach(function (p) { if (p[0] !== "stop") out += p[1]; });
    }
    return out;
  }
  function cjkAlt(text) {
    if (text.length === 1) return [text + "*"];
    var g = [];
    for (var j = 0; j + 1 < text.length; j++) g.push(text.slice(j, j + 2));
    return g;
  }
  function plainGroups(chars, stop) {
    if (chars.length === 1) return stop[0] ? [] : [chars + "*?"];
    var out = [];
    for (var j = 0; j + 1 < chars.length; j++) {
      if (stop[j] && stop[j + 1]) continue;
      out.push(chars.slice(j, j + 2) + (stop[j] || stop[j + 1] ? "?" : ""));
    }
    return out;
  }
  function cjkRuns(tok, runs, hl, flags) {
    var chars = "", stop = [];
    function flush() {
      if (chars) {
        var groups = plainGroups(chars, stop), cur = "";
        if (groups.length) runs.push([groups]);
        for (var k = 0; k < chars.length; k++) {
          if (stop[k]) { if (cur) hl.push(cur); cur = ""; } else cur += chars.charAt(k);
        }
        if (cur) hl.push(cur);
      }
      chars = ""; stop = [];
    }
    scan(tok, true).forEach(function (p) {
      var kind = p[0], text = p[1];
      if (kind !== "text") flags.everyday = true;
      if (kind === "syn") {
        flush();
        var means = SYN[text].filter(function (t) { return t !== text; }).slice(0, TB.maxMeanings);
        var alts = [cjkAlt(text)];
        means.forEach(function (t) { alts.push(cjkAlt(t)); });
        runs.push(alts);
        hl.push(text);
        means.forEach(function (t) { hl.push(t); });
      } else {
        chars += text;
        for (var k = 0; k < text.length; k++) stop.push(kind === "stop");
      }
    });
    flush();
  }

  function queryTerms(q) {
    var nq = normalizeQuery(q), runs = [], hl = [], latin = [], latinLen = 0, flags = {everyday: false};
    function flush() {
      if (latin.length) { var alts = latinRun(latin); if (alts.length) runs.push(alts); }
      latin = []; latinLen = 0;
    }
    var re = new RegExp("#[0-9]+(?:-[0-9]+)?|[0-9]+|[" + TB.cjk + "]+|[a-z]+|\\S", "g"), m;
    while ((m = re.exec(nq))) {
      var tok = m[0];
      if (tok.charAt(0) === "#") { flush(); runs.push([[tok]]); }
      else if (/^[0-9]/.test(tok)) {
        flush();
        runs.push(tok.length > 4 ? [["%" + tok + "*"]] : [["#" + parseInt(tok, 10)], ["%" + tok + "*"]]);
      } else if (CJK1.test(tok)) { flush(); cjkRuns(tok, runs, hl, flags); }
      else if (tok.charAt(0) >= "a" && tok.charAt(0) <= "z") {
        tok = tok.slice(0, Math.max(0, TB.maxLatin - latinLen));
        if (tok) { latin.push(tok); latinLen += tok.length; }
      } else flush();
    }
    flush();
    var required = false;
    runs.forEach(function (run) { run.forEach(function (alt) { alt.forEach(function (g) {
      if (g.charAt(g.length - 1) !== "?") required = true;
    }); }); });
    if (runs.length && !required) runs = runs.map(function (run) { return run.map(function (alt) {
      return alt.map(function (g) { return g.slice(0, -1); });
    }); });
    var core = coreText(q);
    return {q: nq, runs: runs, hl: hl, exact: core.length >= 3 ? "@" + core : "", everyday: flags.everyday};
  }

  function queryGroups(qt) {
    var seen = {}, out = [];
    qt.runs.forEach(function (run) { run.forEach(function (alt) { alt.forEach(function (g) {
      if (g.slice(-2) === "*?") return;
      if (g.charAt(g.length - 1) === "?") g = g.slice(0, -1);
      if (!seen[g]) { seen[g] = 1; out.push(g); }
    }); }); });
    if (qt.exact && !seen[qt.exact]) out.push(qt.exact);
    return out;
  }

  function fieldWeight(f) { return f === 3 ? TB.qw : f === 2 ? TB.tw : f === 1 ? TB.kw : TB.fw; }

  function scoreDoc(qt, hits, unknown, kind, absent) {
    absent = absent || {};
    var covSum = 0, total = 0, nRuns = 0, B = TB.bonus;
    var specs = [[3, "q_whole", "q_start", "q_all"], [2, "t_whole", "t_start", "t_all"], [1, "k_whole", "k_start", "k_all"]];
    for (var r = 0; r < qt.runs.length; r++) {
      var run = qt.runs[r], best = null;
      for (var a = 0; a < run.length; a++) {
        var alt = run[a], matched = 0, known = 0, score = 0, all = {1: true, 2: true, 3: true};
        var unknownWord = true;
        for (var g0 = 0; g0 < alt.length; g0++)
          if (alt[g0].charAt(alt[g0].length - 1) !== "?" && !absent[alt[g0]]) unknownWord = false;
        for (var gi = 0; gi < alt.length; gi++) {
          var g = alt[gi], opt = g.charAt(g.length - 1) === "?", key = opt ? g.slice(0, -1) : g;
          var cls = has(hits, key) ? hits[key] : null;
          if (!cls || !cls.length) {
            all = {1: false, 2: false, 3: false};
            if (!opt && !unknown[key] && !(unknownWord && absent[key])) known++;
            continue;
          }
          if (!opt) { matched++; known++; }
          var mx = 0, seenF = {};
          for (var ci = 0; ci < cls.length; ci++) { mx = Math.max(mx, fieldWeight(cls[ci] >> 2)); seenF[cls[ci] >> 2] = true; }
          score += mx;
          for (var f = 1; f <= 3; f++) if (!seenF[f]) all[f] = false;
        }
        if (!known && !score) continue;
        var bonus = 0;
        for (var si = 0; si < specs.length; si++) {
          var fld = specs[si][0];
          if (!all[fld]) continue;
          var k0 = alt[0].replace(/\?+$/, ""), k1 = alt[alt.length - 1].replace(/\?+$/, "");
          var first = hasFlag(hits[k0], fld, 1), last = hasFlag(hits[k1], fld, 2);
          var b = first && last ? B[specs[si][1]] : first ? B[specs[si][2]] : B[specs[si][3]];
          bonus = Math.max(bonus, b);
        }
        var c = known ? matched / known : -1, s = score + bonus;
        if (best === null || c > best[0] || (c === best[0] && s > best[1])) best = [c, s];
      }
      if (best === null) continue;      // nothing of the run matched and nothing of it is known
      total += best[1];
      if (best[0] >= 0) { nRuns++; covSum += best[0]; }
    }
    var cov = nRuns ? covSum / nRuns : 0;
    if (qt.exact && hits[qt.exact] && hits[qt.exact].length) { cov = 1; total += B.exact; }
    if (!cov) return [0, 0];
    var kw = qt.everyday ? TB.kindsEveryday : TB.kinds;
    return [cov, total + (kw[kind] || 0)];
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
    var hits = {}, truncated = {}, absent = {}, forms = {}, groups = queryGroups(qt);
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
      if (!entries.length) absent[g] = 1;       // no document holds it
      forms[g] = fl;
    });
    var scored = [];
    for (var d in hits) {
      var doc = +d, sc = scoreDoc(qt, hits[d], truncated, kindOf(doc), absent);
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
      var hl = helpHotlines(), guides = M && M.help ? M.help.guides : [];
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
