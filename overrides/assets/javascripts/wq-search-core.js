/* weiquan search core: query reading and ranking (no DOM; runs in node for the golden tests).
 *
 * Mirrors the code of weiquan/zh/terms.py (normalize_query, query_terms, weak_runs, respell,
 * near_misses, score_doc) and weiquan/search/index.py (Lookup, lookup, rank).  All data
 * comes from the index: manifest.spec (weights, limits, regular expressions), manifest.tables
 * (tone marks, syllables), manifest.rules (stop words, thesaurus), z.js (traditional →
 * simplified) and p.js (sound-alike tables, loaded only for a second look).  Checked against
 * tests/data/search_golden/ by `node --test tests/js/` (and pytest).
 * Index files are scripts calling wqSearch.add(name, data).  ES5 on purpose (old phones).
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
  if (!W.base) W.base = "search/";
  W.loader = function (name) {            // replaced in node tests
    return new Promise(function (resolve, reject) {
      if (has(cache, name)) { resolve(cache[name]); return; }
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
  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }

  /* ------------------------------------------------------------ data from the manifest */
  var M = null, S = null, TB = null, RE = null, SYL = null, PRE = null, TONES = null, HAN1 = null, HANALL = null;
  var STOP = null, KEEP = null, SYN = null, MAXLEN = 1, T2S = null, CHARS = null, WORDS = null;

  function setManifest(m) {
    M = m; S = m.spec; TB = m.tables;
    RE = {};
    for (var k in S.re) if (has(S.re, k)) RE[k] = S.re[k];
    STOP = {}; KEEP = {}; SYN = {}; MAXLEN = 1;
    var R = m.rules || {stop: "", keep: "", syn: []}, words = [];
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
    HAN1 = new RegExp("^[" + S.han + "]");
    HANALL = new RegExp("[" + S.han + "]", "g");
  }
  function re(name) { return new RegExp(RE[name], "g"); }

  function setT2S(s) {                   // z.js: "繁简繁简…"
    if (T2S) return;
    T2S = {};
    for (var i = 0; i + 1 < s.length; i += 2) T2S[s.charAt(i)] = s.charAt(i + 1);
  }
  function setSound(p) {                 // p.js: {chars: "syl+chars …", words: "word[spelling] …"}
    if (CHARS) return;
    CHARS = {}; WORDS = {};
    p.chars.split(" ").forEach(function (item) {
      var m = /^[a-z]+/.exec(item);
      for (var i = m[0].length; i < item.length; i++) CHARS[item.charAt(i)] = m[0];
    });
    (p.words ? p.words.split(" ") : []).forEach(function (item) {
      var m = /[a-z]+$/.exec(item), word = m ? item.slice(0, m.index) : item, sp = m ? m[0] : "";
      if (!m) for (var i = 0; i < word.length; i++) {          // spelt by its characters' readings
        if (!has(CHARS, word.charAt(i))) { sp = null; break; }
        sp += CHARS[word.charAt(i)];
      }
      if (sp === null) return;
      (WORDS[sp] = has(WORDS, sp) ? WORDS[sp] : []).push(word);
    });
  }
  /* The manifest and the t2s table load on focus, while the reader starts typing. */
  function ready() {
    return Promise.all([load("manifest"), load("z")]).then(function (res) {
      if (M !== res[0]) setManifest(res[0]);
      setT2S(res[1]);
    });
  }

  /* ------------------------------------------------------------ normalisation */
  function normalizeText(text) {
    text = text.normalize ? text.normalize("NFC") : text;
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i), o = text.charCodeAt(i);
      if (o >= 0xFF01 && o <= 0xFF5E) c = String.fromCharCode(o - 0xFEE0);
      else if (c === "\u3000") c = " ";
      if (has(TONES, c)) c = TONES[c];
      if (c.charCodeAt(0) < 128) c = c.toLowerCase();
      else if (T2S && has(T2S, c)) c = T2S[c];
      out += c;
    }
    return out;
  }

  function cnToInt(t) {
    if (/^[0-9]+$/.test(t)) return parseInt(t, 10);
    var D = S.cnDigits, U = S.cnUnits, i, hasUnit = false;
    for (i = 0; i < t.length; i++) if (has(U, t.charAt(i))) hasUnit = true;
    if (!hasUnit) {
      var s = "";
      for (i = 0; i < t.length; i++) s += D[t.charAt(i)];
      return parseInt(s, 10);
    }
    var total = 0, digit = null;
    for (i = 0; i < t.length; i++) {
      var c = t.charAt(i);
      if (has(D, c)) digit = D[c];
      else { total += (digit === null ? 1 : digit) * U[c]; digit = null; }
    }
    return total + (digit || 0);
  }
  function articleToken(num, sub) { return "#" + cnToInt(num) + (sub ? "-" + cnToInt(sub) : ""); }

  function normalizeQuery(q) {
    q = normalizeText(q).replace(re("toneDigit"), "$1");
    q = q.replace(re("article"), function (m0, g1, g2, g3, g4) {
      var num = g1 || g3 || g4;
      if (g4 && num.length >= 3) return " " + num + " ";    // a bare number: phone / hotline
      if (/^[0-9]+$/.test(num) && num.length > 4) return m0;
      return " " + articleToken(num, g1 ? g2 : null) + " ";
    });
    return q.split(/\s+/).filter(function (x) { return x; }).join(" ");
  }

  /* ------------------------------------------------------------ latin runs */
  function okPiece(s, a, b, bounds, partial) {
    for (var k = 0; k < bounds.length; k++) if (a < bounds[k] && bounds[k] < b) return false;
    var piece = s.slice(a, b);
    return SYL[piece] === 1 || (partial && b === s.length && PRE[piece] === 1);
  }
  function cmpParse(x, y) {
    if (x.length !== y.length) return x.length - y.length;
    var a = x.join(" "), b = y.join(" ");
    return a < b ? -1 : a > b ? 1 : 0;
  }
  function parses(s, bounds, partial, limitExtra) {
    var n = s.length, INF = 1e9, best = [], i, j;
    for (i = 0; i <= n; i++) best.push(INF);
    best[n] = 0;
    for (i = n - 1; i >= 0; i--)
      for (j = Math.min(n, i + 6); j > i; j--)
        if (okPiece(s, i, j, bounds, partial) && best[j] + 1 < best[i]) best[i] = best[j] + 1;
    if (best[0] >= INF) return [];
    var limit = limitExtra && best[0] <= 2 ? best[0] + 1 : best[0], found = [], acc = [];
    function dfs(a) {
      if (found.length >= 20) return;
      if (a === n) { found.push(acc.slice()); return; }
      for (var b = Math.min(n, a + 6); b > a; b--) {
        if (okPiece(s, a, b, bounds, partial) && best[b] < INF && acc.length + 1 + best[b] <= limit) {
          acc.push(s.slice(a, b)); dfs(b); acc.pop();
        }
      }
    }
    dfs(0);
    found.sort(cmpParse);
    return found;
  }
  function latinParses(chunks) {
    var bounds = [], p = 0;
    for (var i = 0; i < chunks.length - 1; i++) { p += chunks[i].length; bounds.push(p); }
    return parses(chunks.join(""), bounds, true, true).slice(0, S.maxParses);
  }
  function initials(chunks) {
    var s = chunks.join(""), out = [s], c = s.replace(re("retroflex"), "$1");
    if (c !== s) out.push(c);
    return out;
  }
  function latinRun(chunks) {
    var alts = [], ps = latinParses(chunks), i, j;
    for (i = 0; i < ps.length; i++) {
      var p = ps[i];
      if (p.length === 1) { if (SYL[p[0]] === 1) alts.push([p[0] + " *"]); continue; }
      var groups = [];
      for (j = 0; j + 1 < p.length; j++) groups.push(p[j] + " " + p[j + 1]);
      groups[groups.length - 1] += "*";
      alts.push(groups);
    }
    if (alts.length || ps.length) return alts;
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

  /* ------------------------------------------------------------ query rules */
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
    var r = re("core"), m, out = "", t = normalizeText(text);
    while ((m = r.exec(t))) {
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
  function stretches(chars, stop) {
    var out = [], cur = "";
    for (var k = 0; k < chars.length; k++) {
      if (stop[k]) { if (cur.length > 1) out.push(cur); cur = ""; } else cur += chars.charAt(k);
    }
    if (cur.length > 1) out.push(cur);
    return out;
  }
  function isOpt(g) { return g.charAt(g.length - 1) === "?"; }
  function cjkRuns(tok, runs, hl, flags, spell) {
    var chars = "", stop = [];
    function flush() {
      if (chars) {
        var groups = plainGroups(chars, stop), cur = "";
        if (groups.length) {
          var st = stretches(chars, stop);
          if (st.length && groups.some(function (g) { return !isOpt(g); })) spell.push([runs.length, "han", st]);
          runs.push([groups]);
        }
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
        var means = SYN[text].filter(function (t) { return t !== text; }).slice(0, S.maxMeanings);
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
    var nq = normalizeQuery(q), runs = [], hl = [], spell = [], latin = [], latinLen = 0, flags = {everyday: false};
    function flush() {
      if (latin.length) {
        var alts = latinRun(latin);
        if (alts.length) { spell.push([runs.length, "latin", latin.slice()]); runs.push(alts); }
      }
      latin = []; latinLen = 0;
    }
    var r = re("token"), m;
    while ((m = r.exec(nq))) {
      var tok = m[0];
      if (tok.charAt(0) === "#") { flush(); runs.push([[tok]]); }
      else if (/^[0-9]/.test(tok)) {
        flush();
        runs.push(tok.length > 4 ? [["%" + tok + "*"]] : [["#" + parseInt(tok, 10)], ["%" + tok + "*"]]);
      } else if (HAN1.test(tok)) { flush(); cjkRuns(tok, runs, hl, flags, spell); }
      else if (tok.charAt(0) >= "a" && tok.charAt(0) <= "z") {
        tok = tok.slice(0, Math.max(0, S.maxLatin - latinLen));
        if (tok) { latin.push(tok); latinLen += tok.length; }
      } else flush();
    }
    flush();
    var required = false;
    runs.forEach(function (run) { run.forEach(function (alt) { alt.forEach(function (g) {
      if (!isOpt(g)) required = true;
    }); }); });
    if (runs.length && !required) runs = runs.map(function (run) { return run.map(function (alt) {
      return alt.map(function (g) { return g.slice(0, -1); });
    }); });
    var core = coreText(q), nHan = (nq.match(HANALL) || []).length;
    return {q: nq, runs: runs, hl: hl, exact: core.length >= S.exactMin ? "@" + core : "",
            everyday: flags.everyday, "long": nHan >= S["long"], spell: spell};
  }

  function required(alt) { return alt.filter(function (g) { return g !== "~" && !isOpt(g); }); }

  /* Groups to look up; a long (spoken) query: its content words only (no optional, no exact). */
  function queryGroups(qt) {
    var seen = {}, out = [], longQ = !!qt["long"];
    qt.runs.forEach(function (run) { run.forEach(function (alt) { alt.forEach(function (g) {
      if (g === "~" || g.slice(-2) === "*?" || (longQ && isOpt(g))) return;
      if (isOpt(g)) g = g.slice(0, -1);
      if (!has(seen, g)) { seen[g] = 1; out.push(g); }
    }); }); });
    if (qt.exact && !longQ && !has(seen, qt.exact)) out.push(qt.exact);
    return out;
  }

  /* ------------------------------------------------------------ second look */
  function weakRuns(qt, docs, absent, truncated) {
    var out = [];
    qt.spell.forEach(function (sp, si) {
      var run = qt.runs[sp[0]], strong = false;
      for (var a = 0; a < run.length && !strong; a++) {
        var req = required(run[a]), i, bad = !req.length, cut = false;
        for (i = 0; i < req.length; i++) { if (absent[req[i]]) bad = true; if (truncated[req[i]]) cut = true; }
        if (bad) continue;
        if (cut) { strong = true; break; }
        var common = null;
        for (i = 0; i < req.length; i++) {
          var ds = docs[req[i]] || {}, next = {};
          if (common === null) { for (var d in ds) next[d] = 1; }
          else { for (var d2 in common) if (ds[d2]) next[d2] = 1; }
          common = next;
        }
        if (Object.keys(common || {}).length >= S.sound.minDocs) strong = true;
      }
      if (strong) return;
      if (qt["long"]) {          // a spoken question: a bigram across two words is held by nobody
        var all = true, longest = 0;
        run.forEach(function (alt) { required(alt).forEach(function (g) { if (!absent[g]) all = false; }); });
        if (sp[1] === "han") sp[2].forEach(function (x) { longest = Math.max(longest, x.length); });
        if (!all || (sp[1] === "han" && longest < 3)) return;
      }
      out.push(si);
    });
    return out;
  }

  function pinyinAlt(st) {
    var groups = [];
    st.forEach(function (s) {
      var prev = null;
      for (var i = 0; i < s.length; i++) {
        var y = has(CHARS, s.charAt(i)) ? CHARS[s.charAt(i)] : null;
        if (y && prev) { var g = prev + " " + y; if (groups.indexOf(g) < 0) groups.push(g); }
        prev = y;
      }
    });
    return groups;
  }
  function correct(st) {                  // [text, words put in, every char covered]
    var syl = [], out = "", used = [], covered = true, i = 0, j, k;
    for (i = 0; i < st.length; i++) syl.push(has(CHARS, st.charAt(i)) ? CHARS[st.charAt(i)] : null);
    i = 0;
    while (i < st.length) {
      var hit = false;
      for (j = st.length; j > i + 1; j--) {
        var sp = "", ok = true;
        for (k = i; k < j; k++) { if (!syl[k]) { ok = false; break; } sp += syl[k]; }
        if (ok && has(WORDS, sp)) {
          // of the words that sound so, the one sharing most characters with what was typed
          var cands = WORDS[sp], w = null, wn = -1;
          cands.forEach(function (x) {
            var n = 0;
            for (var q = 0; q < x.length && q < j - i; q++) if (x.charAt(q) === st.charAt(i + q)) n++;
            if (n > wn) { w = x; wn = n; }
          });
          out += w; used.push(w); i = j; hit = true; break;
        }
      }
      if (!hit) { out += st.charAt(i); covered = false; i++; }
    }
    return [out, used, covered];
  }
  function bigrams(texts) {
    var out = [];
    texts.forEach(function (t) {
      for (var j = 0; j + 1 < t.length; j++) if (out.indexOf(t.slice(j, j + 2)) < 0) out.push(t.slice(j, j + 2));
    });
    return out;
  }
  function meaningAlts(word) {
    return (has(SYN, word) ? SYN[word] : []).filter(function (t) { return t !== word; })
      .slice(0, S.maxMeanings).map(cjkAlt);
  }
  function hanAlts(st, used) {
    var fixed = st.map(correct), alts = [], changed = false, allCovered = true;
    fixed.forEach(function (f, i) { if (f[0] !== st[i]) changed = true; if (!f[2]) allCovered = false; });
    if (changed) {
      fixed.forEach(function (f) { f[1].forEach(function (w) { used.push(w); }); });
      alts.push(bigrams(fixed.map(function (f) { return f[0]; })));
      if (fixed.length === 1 && fixed[0][2] && fixed[0][1].length === 1) alts = alts.concat(meaningAlts(fixed[0][1][0]));
    }
    if (!allCovered) alts.unshift(pinyinAlt(st));
    return alts;
  }

  var LETTERS = "abcdefghijklmnopqrstuvwxyz";
  function nearMisses(chunks) {
    var s = chunks.join(""), seen = {}, list = [];
    if (s.length < 3 || s.length > S.sound.maxNearLen) return [];
    function consider(t, pos, op, letter) {
      if (t === s || has(seen, t)) return;
      var ps = parses(t, [], false, false), p = ps[0];
      if (!p || p.length < 2) return;
      var starts = [], at = 0, k;
      for (k = 0; k < p.length; k++) { starts.push(at); at += p[k].length; }
      starts.push(at);
      var best = 0;
      for (var a = 0; a < p.length; a++) {
        if (starts[a] > pos) break;
        for (var b = a + 2; b <= p.length; b++) {
          if (starts[b] < pos + (op !== 0 ? 1 : 0) || starts[b] - starts[a] <= best) continue;
          if (has(WORDS, t.slice(starts[a], starts[b]))) best = starts[b] - starts[a];
        }
      }
      if (best) { seen[t] = 1; list.push([-best, p.length, pos, op, letter, p, best === t.length ? t : ""]); }
    }
    var i, c;
    for (i = 0; i < s.length; i++) consider(s.slice(0, i) + s.slice(i + 1), i, 0, "");
    for (i = 0; i < s.length; i++)
      for (c = 0; c < 26; c++) if (LETTERS.charAt(c) !== s.charAt(i))
        consider(s.slice(0, i) + LETTERS.charAt(c) + s.slice(i + 1), i, 1, LETTERS.charAt(c));
    for (i = 0; i <= s.length; i++)
      for (c = 0; c < 26; c++) consider(s.slice(0, i) + LETTERS.charAt(c) + s.slice(i), i, 2, LETTERS.charAt(c));
    list.sort(function (x, y) {
      for (var k = 0; k < 4; k++) if (x[k] !== y[k]) return x[k] - y[k];
      return x[4] < y[4] ? -1 : x[4] > y[4] ? 1 : 0;
    });
    return list.slice(0, S.sound.maxNear).map(function (r) { return [r[5], r[6]]; });
  }
  function latinAlts(chunks, used) {
    var alts = [];
    nearMisses(chunks).forEach(function (nm) {
      var p = nm[0], word = nm[1];
      if (word) {
        WORDS[word].slice(0, 2).forEach(function (w) {   // words that sound the same: the two held most
          used.push(w); alts.push(cjkAlt(w)); alts = alts.concat(meaningAlts(w));
        });
        return;
      }
      var g = [];
      for (var k = 0; k + 1 < p.length; k++) g.push(p[k] + " " + p[k + 1]);
      alts.push(g);
    });
    return alts;
  }

  function respell(qt, weak) {
    var runs = qt.runs.map(function (run) { return run.slice(); }), budget = S.sound.maxGroups, everyday = qt.everyday;
    weak.forEach(function (si) {
      var sp = qt.spell[si], ri = sp[0], used = [], alts = sp[1] === "han" ? hanAlts(sp[2], used) : latinAlts(sp[2], used);
      used.forEach(function (w) { if (has(SYN, w)) everyday = true; });
      var have = {}, keys = {};
      runs[ri].forEach(function (alt) { alt.forEach(function (g) { have[g] = 1; }); keys[alt.join("\u0001")] = 1; });
      alts.forEach(function (groups) {
        var fresh = groups.filter(function (g) { return !has(have, g); });
        if (!groups.length || fresh.length > budget || keys["~\u0001" + groups.join("\u0001")] || keys[groups.join("\u0001")]) return;
        budget -= fresh.length;
        groups.forEach(function (g) { have[g] = 1; });
        var alt = ["~"].concat(groups);
        keys[alt.join("\u0001")] = 1;
        runs[ri].push(alt);
      });
    });
    var out = {};
    for (var k in qt) if (has(qt, k)) out[k] = qt[k];
    out.runs = runs;
    out.everyday = everyday;
    return out;
  }

  /* ------------------------------------------------------------ ranking */
  function hasFlag(cls, f, flag) {
    for (var i = 0; i < cls.length; i++) if (cls[i] >> 2 === f && (cls[i] & flag)) return true;
    return false;
  }
  /* The query's alts read once per ranking (scoreDoc runs for thousands of documents). */
  var PREP_QT = null, PREP_ABSENT = null, PREP = null;
  function prepared(qt, absent) {
    if (PREP_QT === qt && PREP_ABSENT === absent) return PREP;
    PREP = qt.runs.map(function (run) {
      return run.map(function (alt0) {
        var sound = alt0[0] === "~", alt = sound ? alt0.slice(1) : alt0, keys = [], opt = [], req = [], unknownWord = true;
        alt.forEach(function (g) {
          var o = isOpt(g);
          keys.push(o ? g.slice(0, -1) : g); opt.push(o);
          if (!o) { req.push(g); if (!absent[g]) unknownWord = false; }
        });
        return {sound: sound, keys: keys, opt: opt, req: req, unknownWord: unknownWord};
      });
    });
    PREP_QT = qt; PREP_ABSENT = absent;
    return PREP;
  }
  var SPECS = [[3, "q_whole", "q_start", "q_all"], [2, "t_whole", "t_start", "t_all"], [1, "k_whole", "k_start", "k_all"]];
  function scoreDoc(qt, hits, unknown, kind, absent) {
    absent = absent || {};
    var covSum = 0, total = 0, nRuns = 0, B = S.bonus, FW = S.fieldWeight, soundUsed = false, longQ = !!qt["long"];
    var runs = prepared(qt, absent);
    for (var r = 0; r < runs.length; r++) {
      var run = runs[r], best = null;
      for (var a = 0; a < run.length; a++) {
        var A = run[a], keys = A.keys, n = keys.length, matched = 0, known = 0, score = 0, gi;
        var all = A.req.length ? 14 : 0;      // bits 1..3: every required group in field 1, 2, 3
        for (gi = 0; gi < n; gi++) {
          var key = keys[gi], opt = A.opt[gi], cls = has(hits, key) ? hits[key] : null;
          if (!cls || !cls.length) {
            if (!opt) {
              all = 0;
              if (!unknown[key] && !((A.unknownWord || longQ) && absent[key])) known++;
            }
            continue;
          }
          var mx = 0, seen = 0;
          for (var ci = 0; ci < cls.length; ci++) {
            var f0 = cls[ci] >> 2;
            if (FW[f0] > mx) mx = FW[f0];
            seen |= 1 << f0;
          }
          if (opt) { score += mx * S.optWeight; continue; }
          matched++; known++;
          score += mx;
          all &= seen;
        }
        if (!known && !score) continue;
        var bonus = 0;
        if (all) {
          var k0 = A.req[0], k1 = A.req[A.req.length - 1];
          for (var si = 0; si < SPECS.length; si++) {
            var fld = SPECS[si][0];
            if (!(all & (1 << fld))) continue;
            var first = hasFlag(hits[k0], fld, 1), last = hasFlag(hits[k1], fld, 2);
            bonus = Math.max(bonus, first && last ? B[SPECS[si][1]] : first ? B[SPECS[si][2]] : B[SPECS[si][3]]);
          }
        }
        var s = score + bonus;
        if (A.sound) s *= S.sound.weight;
        var c = known ? matched / known : -1, e = A.sound ? 0 : 1;
        if (best === null || c > best[0] || (c === best[0] && (e > best[1] || (e === best[1] && s > best[2])))) best = [c, e, s];
      }
      if (best === null) continue;      // nothing of the run matched and nothing of it is known
      total += best[2];
      if (best[0] >= 0) {
        nRuns++; covSum += best[0];
        if (!best[1] && best[0] > 0) soundUsed = true;
      }
    }
    var cov = nRuns ? covSum / nRuns : 0;
    if (qt.exact && hits[qt.exact] && hits[qt.exact].length) { cov = 1; total += B.exact; }
    if (!cov) return [0, 0, 0];
    var kw = qt.everyday ? S.kindsEveryday : S.kinds;
    return [cov, soundUsed ? 0 : 1, total + (kw[kind] || 0)];
  }

  /* ------------------------------------------------------------ lookup (mirror of index.py) */
  function shardOf(bounds, term) {       // bisect_right - 1
    var lo = 0, hi = bounds.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (term < bounds[mid]) hi = mid; else lo = mid + 1; }
    return Math.max(0, lo - 1);
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

  /* Postings gathered as groups come: {hits: {doc: {group: [classes]}}, truncated, absent,
     forms: {group: [forms]}, docs: {group: {doc: 1}}}. */
  function newFound() { return {hits: {}, truncated: {}, absent: {}, forms: {}, docs: {}}; }
  function addGroups(groups, found) {
    var todo = groups.filter(function (g) { return !has(found.forms, g) && !found.truncated[g]; });
    var plan = {}, names = {};
    todo.forEach(function (g) {
      if (g.charAt(g.length - 1) === "*") {
        var p = g.slice(0, -1), a = shardOf(M.t, p), b = shardOf(M.t, p + "\uffff");
        if (b - a + 1 > S.maxPrefixShards) { plan[g] = null; return; }
        plan[g] = [];
        for (var n = a; n <= b; n++) { plan[g].push(n); names["t/" + n] = 1; }
      } else { var k = shardOf(M.t, g); plan[g] = [k]; names["t/" + k] = 1; }
    });
    return loadAll(Object.keys(names)).then(function () {
      todo.forEach(function (g) {
        var shards = plan[g];
        if (shards === null) { found.truncated[g] = 1; return; }
        var entries = [], p = g.slice(0, -1), isPrefix = g.charAt(g.length - 1) === "*";
        shards.forEach(function (n) {
          var sh = cache["t/" + n];
          if (isPrefix) { for (var t in sh) if (t.lastIndexOf(p, 0) === 0) entries.push(sh[t]); }
          else if (has(sh, g)) entries.push(sh[g]);
        });
        var fl = [], held = {};
        entries.forEach(function (v) {
          var enc = typeof v === "string" ? v : v[0], f = typeof v === "string" ? "" : v[1];
          var capped = decodePostings(enc, function (doc, cls) {
            var h = found.hits[doc] || (found.hits[doc] = {}), c = h[g] || (h[g] = []);
            if (c.indexOf(cls) < 0) c.push(cls);
            held[doc] = 1;
          });
          if (capped) found.truncated[g] = 1;
          if (f) f.split(",").forEach(function (x) { if (fl.indexOf(x) < 0) fl.push(x); });
        });
        if (!entries.length) found.absent[g] = 1;       // no document holds it
        found.forms[g] = fl;
        found.docs[g] = held;
      });
    });
  }
  /* Look a parsed query up; badly matched runs get a second look (sound-alike, near misses). */
  function lookup(qt) {
    var found = newFound();
    return addGroups(queryGroups(qt), found).then(function () {
      var weak = weakRuns(qt, found.docs, found.absent, found.truncated);
      if (!weak.length) return {qt: qt, found: found};
      return load("p").then(function (p) {
        setSound(p);
        var qt2 = respell(qt, weak);
        return addGroups(queryGroups(qt2), found).then(function () { return {qt: qt2, found: found}; });
      });
    });
  }
  /* Sort key (ascending): coverage, exact before sound-alike, score; a long query: coverage × score. */
  function rankKey(qt, cov, exact, score) { return qt["long"] ? [0, 0, -(cov * score)] : [-cov, -exact, -score]; }
  function rank(qt, found) {
    var scored = [], least = qt["long"] ? S.minCovLong : S.minCov;
    for (var d in found.hits) {
      var doc = +d, sc = scoreDoc(qt, found.hits[d], found.truncated, kindOf(doc), found.absent);
      if (sc[0] >= least) scored.push([doc, sc[0], sc[1], sc[2], rankKey(qt, sc[0], sc[1], sc[2])]);
    }
    scored.sort(function (a, b) {
      for (var k = 0; k < 3; k++) if (a[4][k] !== b[4][k]) return a[4][k] - b[4][k];
      return a[0] - b[0];
    });
    scored = scored.map(function (r) { return r.slice(0, 4); });
    return {scored: scored, hits: found.hits, forms: found.forms};
  }

  function docShard(doc) {
    var lo = 0, hi = M.d.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (doc < M.d[mid]) hi = mid; else lo = mid + 1; }
    return lo - 1;
  }

  /* Query terms and ranking: Promise of {qt, ranked} (ranked null if nothing to look up).
     Only the term shards of the query (and, for a second look, p.js) are on this path. */
  function prepare(q) {
    return ready().then(function () {
      var qt = queryTerms(q);
      if (!queryGroups(qt).length) return {qt: qt, ranked: null};
      return lookup(qt).then(function (r) { return {qt: r.qt, ranked: rank(r.qt, r.found)}; });
    });
  }
  /* Full search: Promise of {qt, total, results: [{doc, cov, exact, score, rec, marks}]} */
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
        return {doc: s[0], cov: s[1], exact: s[2], score: s[3], rec: rec, marks: marks};
      })};
    });
  }

  W.core = {normalizeQuery: normalizeQuery, queryTerms: queryTerms, queryGroups: queryGroups,
    scoreDoc: scoreDoc, weakRuns: weakRuns, respell: respell, nearMisses: nearMisses, lookup: lookup,
    rank: rank, prepare: prepare, search: search, fetchDocs: fetchDocs, firstCount: firstCount,
    ready: ready, setManifest: setManifest, setT2S: setT2S, setSound: setSound, cache: cache,
    manifest: function () { return M; }};
})(typeof window !== "undefined" ? window : globalThis);
