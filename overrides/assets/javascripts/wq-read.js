/* 朗读 (read aloud), weiquan. Loaded by weiquan.js on first use of a 朗读 control.
 * Reads the article (not the menu, call bar or footer) with the browser's own speech
 * (speechSynthesis): nothing is sent by this script, no network, works from file://.
 * One sentence (or clause) per utterance; the highlight follows each utterance's start event.
 * Stop cancels (Android's pause() is a cancel anyway); 接着读 restarts the current sentence.
 * After the first use, a tap on a paragraph reads from there. Nothing is stored. */
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  var Utterance = window.SpeechSynthesisUtterance;
  var RATE = 0.9;
  var MAX = 50;            // characters per utterance: long ones are cut off on some phones
  var START_TIMEOUT = 6000;
  var VOICE_WAIT = 2000;   // the voice list may be empty until voiceschanged
  var SKIP = "rt,rp,button,svg,script,style,template,noscript,nav,input,select,textarea,[hidden]," +
    "[aria-hidden=true],.headerlink,.wq-copy,.wq-citedby,.wq-ver,.wq-crumb,.wq-pager,.md-source-file," +
    ".md-content__button,.wq-finder,.wq-readbar";
  var BLOCK = "h1,h2,h3,h4,h5,h6,p,li,dt,dd,th,td,caption,figcaption,summary,blockquote,pre,div,section," +
    "article,details,table,ul,ol,dl,form,fieldset";
  var INLINE = /^(A|ABBR|B|BDI|BDO|BR|CITE|CODE|DATA|DEL|DFN|EM|I|INS|KBD|LABEL|MARK|Q|RB|RUBY|S|SAMP|SMALL|SPAN|STRONG|SUB|SUP|TIME|U|VAR|WBR)$/;
  // letters, digits and 汉字 (the class comes from weiquan/zh/han.py through the toggle's data-han)
  var HAN = (document.getElementById("wq-read-toggle") || document.documentElement).getAttribute("data-han");
  var SPEAKABLE = new RegExp("[0-9A-Za-z]" + (HAN ? "|" + HAN : ""));
  var NO_SPEECH = "这个浏览器不能朗读（比如在微信、QQ 里打开的网页）。请点右上角，选“在浏览器打开”，再点“朗读”；" +
    "也可以打开拼音、大字。";
  var NO_VOICE = "这部手机没有中文语音，不能朗读。可以在手机“设置”里找“文字转语音”，下载中文（普通话）语音包；" +
    "也可以打开拼音、大字。";
  var FAILED = "朗读停了下来。请再点“朗读”试一次。";
  var READING = "正在朗读。点一段文字，就从那一段读起。";

  var list = [], pos = 0, state = "idle", token = 0, voice = null, lang = "zh-CN", voicesKnown = false;
  var utterance = null;    // a reference, so the browser does not drop its events (Chrome)
  var marked = null, watchdog = 0;

  function $(id) { return document.getElementById(id); }
  function article() { return document.querySelector("article.md-content__inner"); }

  // ---- numbers read as they are said ---------------------------------------------------------
  var D = "零一二三四五六七八九";
  function cn(n) {                       // 23 → 二十三, 1042 → 一千零四十二
    if (n < 10) return D[n];
    if (n >= 100000000) return String(n);
    if (n >= 10000) {
      var lo = n % 10000;
      return cn(Math.floor(n / 10000)) + "万" + (lo ? (lo < 1000 ? "零" : "") + cn(lo) : "");
    }
    var s = "", zero = false, p = [1000, 100, 10, 1], u = ["千", "百", "十", ""];
    for (var i = 0; i < 4; i++) {
      var d = Math.floor(n / p[i]) % 10;
      if (d) { s += (zero ? "零" : "") + D[d] + u[i]; zero = false; } else if (s) zero = true;
    }
    return s.replace(/^一十/, "十");
  }
  var UNIT = /^\s*(?:[年月日号元块角分万千百亿多余岁天周个人名件次倍%％:：.]|小时|分钟|公里|米|克|斤)/;
  function speakable(text) {
    return text.replace(/[\s\u00ad\u200b-\u200d\ufeff]+/g, " ")
      // article numbers: 第23条 → 第二十三条, 24条 → 二十四条
      .replace(/第\s*(\d+)/g, function (m, d) { return "第" + cn(+d); })
      .replace(/(\d+)(?=\s*(?:条|款|项|章|节|编|之))/g, function (m, d) { return cn(+d); })
      // phone numbers (3 digits or more, not an amount, date or time): digit by digit, 1 as 幺
      .replace(/\d[\d-]*\d\d/g, function (m, at, all) {
        if (/[\d:：.]$/.test(all.slice(0, at)) || UNIT.test(all.slice(at + m.length))) return m;
        return m.replace(/\d/g, function (d) { return "零幺二三四五六七八九"[d]; }).replace(/-/g, "，");
      })
      .trim();
  }

  // ---- the article as sentences -----------------------------------------------------------------
  function groups(art) {
    var out = [], g = null, n;
    var walker = document.createTreeWalker(art, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (el) {
        if (el.nodeType === 3) return NodeFilter.FILTER_ACCEPT;
        if (el.matches(SKIP)) return NodeFilter.FILTER_REJECT;
        var up = el.parentElement;
        if (up && up.tagName === "DETAILS" && !up.open && el.tagName !== "SUMMARY") return NodeFilter.FILTER_REJECT;
        if (!INLINE.test(el.tagName)) {
          var cs = getComputedStyle(el);
          if (cs.display === "none" || cs.visibility === "hidden") return NodeFilter.FILTER_REJECT;
        }
        return NodeFilter.FILTER_SKIP;
      }
    });
    while ((n = walker.nextNode())) {
      var block = n.parentElement.closest(BLOCK);
      if (!g || g.block !== block) { g = { block: block, nodes: [], text: "" }; out.push(g); }
      g.nodes.push({ node: n, start: g.text.length });
      g.text += n.nodeValue;
    }
    return out;
  }
  function spans(text) {                 // [[start, end]] of sentences, long ones cut at clauses
    var out = [], re = /[。！？!?；;…]+[”’"'」』）)\]】〕]*|\n+/g, last = 0, m;
    function add(a, b) {
      while (a < b && /\s/.test(text[a])) a++;
      while (b > a && /\s/.test(text[b - 1])) b--;
      if (!SPEAKABLE.test(text.slice(a, b))) return;
      var start = a, cut = -1;
      for (var i = a; i < b && b - start > MAX; i++) {
        if (/[，,、：:]/.test(text[i])) cut = i + 1;
        if (i + 1 - start >= MAX && (cut > start || i + 1 - start >= 2 * MAX)) {
          var end = cut > start ? cut : i + 1;
          if (SPEAKABLE.test(text.slice(start, end))) out.push([start, end]);
          start = end; cut = -1;
        }
      }
      if (SPEAKABLE.test(text.slice(start, b))) out.push([start, b]);
    }
    while ((m = re.exec(text))) { add(last, m.index + m[0].length); last = re.lastIndex; }
    add(last, text.length);
    return out;
  }
  function locate(g, off, end) {
    for (var i = 0; i < g.nodes.length; i++) {
      var e = g.nodes[i], len = e.node.nodeValue.length;
      if (off < e.start + len || (end && off === e.start + len)) return { node: e.node, off: off - e.start };
    }
    var last = g.nodes[g.nodes.length - 1];
    return { node: last.node, off: last.node.nodeValue.length };
  }
  function build() {
    var art = article(), out = [], seen = [];
    if (!art) return out;
    groups(art).forEach(function (g) {
      var prefix = "", tag = g.block.tagName;
      if (tag === "LI" && g.block.parentElement.tagName === "OL" && seen.indexOf(g.block) < 0) {
        seen.push(g.block);
        var ol = g.block.parentElement;
        prefix = "第" + cn((ol.start || 1) + Array.prototype.indexOf.call(ol.children, g.block)) + "，";
      }
      spans(g.text).forEach(function (r) {
        var raw = g.text.slice(r[0], r[1]), say = speakable(raw);
        if (/^H[1-6]$|^SUMMARY$/.test(tag) && !/[。！？!?；;…：:]$/.test(say)) say += "。";
        out.push({ block: g.block, a: locate(g, r[0], false), b: locate(g, r[1], true), raw: raw, say: prefix + say });
        prefix = "";
      });
    });
    return out;
  }
  // The page changed under the reader (拼音 swaps the article's nodes): same place in the new nodes.
  function refresh() {
    var old = list[pos];
    list = build();
    if (!old) return;
    for (var i = 0; i < list.length; i++) if (list[i].raw === old.raw && Math.abs(i - pos) < 40) { pos = i; return; }
    pos = Math.min(pos, list.length);
  }

  // ---- highlight, kept in view ------------------------------------------------------------------
  function unmark() {
    if (marked) marked.classList.remove("wq-reading");
    marked = null;
    if (window.CSS && CSS.highlights) CSS.highlights.delete("wq-read");
  }
  function mark(s) {
    if (marked !== s.block) { unmark(); marked = s.block; marked.classList.add("wq-reading"); }
    var range = document.createRange();
    try { range.setStart(s.a.node, s.a.off); range.setEnd(s.b.node, s.b.off); } catch (e) { range.selectNodeContents(s.block); }
    if (window.CSS && CSS.highlights && window.Highlight) CSS.highlights.set("wq-read", new Highlight(range));
    var r = range.getBoundingClientRect();
    if (!r.height) r = s.block.getBoundingClientRect();
    var top = 0, bottom = window.innerHeight;
    var header = document.querySelector(".md-header"), bar = $("wq-readbar"), dock = document.querySelector(".wq-float");
    if (header) top = Math.max(top, header.getBoundingClientRect().bottom);
    if (bar && state === "speaking") top = Math.max(top, bar.getBoundingClientRect().bottom);
    if (dock) bottom = Math.min(bottom, dock.getBoundingClientRect().top);
    if (r.top < top + 8 || r.bottom > bottom - 8) window.scrollBy(0, r.top - top - Math.max(16, (bottom - top) / 4));
  }

  // ---- controls ---------------------------------------------------------------------------------
  var PLAY = "M8 5.14v14l11-7.14z", STOP = "M6 6h12v12H6z";
  function say(text) {
    var el = $("wq-read-msg");
    if (el && el.textContent !== text) el.textContent = text;
    return el;
  }
  function ui() {
    var speaking = state === "speaking" || state === "wait", midway = !speaking && pos > 0 && pos < list.length;
    var toggle = $("wq-read-toggle"), main = $("wq-read-main"), again = $("wq-read-again"), bar = $("wq-readbar");
    if (toggle) toggle.textContent = speaking ? "停止" : "朗读";
    if (main) {
      main.querySelector("span").textContent = speaking ? "停止朗读" : midway ? "接着读" : "朗读这一页";
      main.querySelector("path").setAttribute("d", speaking ? STOP : PLAY);
    }
    if (again) again.hidden = !midway;
    if (bar) bar.classList.toggle("wq-readbar--on", speaking);
  }
  function fail(text) {
    token++;
    clearTimeout(watchdog);
    try { synth && synth.cancel(); } catch (e) { /* nothing to stop */ }
    state = "idle";
    unmark();
    ui();
    var el = say(text);
    if (el) el.scrollIntoView({ block: "nearest" });
  }

  // ---- voices -----------------------------------------------------------------------------------
  // zh-CN / cmn-CN (Android: cmn-Hans-CN) first, a voice on the phone before one on the network;
  // zh-TW is Mandarin too; zh-HK / yue is Cantonese and is never chosen.
  function pick(voices) {
    var best = null, score = 0;
    voices.forEach(function (v) {
      var l = String(v.lang || "").replace(/_/g, "-").toLowerCase(), s = 0;
      if (/^(zh|cmn)(-hans)?(-cn)?$/.test(l)) s = 4;
      else if (/^(zh|cmn)(-hant)?-tw$/.test(l)) s = 2;
      if (s && v.localService) s += 1;
      if (s && v["default"]) s += 0.5;
      if (s > score) { best = v; score = s; }
    });
    return best;
  }
  function withVoices(then) {
    var voices = synth.getVoices() || [];
    if (voices.length) return then(voices);
    var t0 = Date.now(), done = false, timer;
    function check() {
      var v = synth.getVoices() || [];
      if (done || (!v.length && Date.now() - t0 < VOICE_WAIT)) return;
      done = true;
      clearInterval(timer);
      if (synth.removeEventListener) synth.removeEventListener("voiceschanged", check);
      then(v);
    }
    if (synth.addEventListener) synth.addEventListener("voiceschanged", check);
    timer = setInterval(check, 200);
  }

  // ---- speaking ---------------------------------------------------------------------------------
  function speak(my) {
    if (my !== token) return;
    var s = list[pos];
    if (s && !document.contains(s.a.node)) { refresh(); s = list[pos]; }
    if (!s) { state = "idle"; pos = list.length; unmark(); ui(); say("读完了。"); return; }
    var u = new Utterance(s.say);
    u.lang = lang;
    if (voice) u.voice = voice;
    u.rate = RATE;
    u.onstart = function () {
      if (my !== token) return;
      clearTimeout(watchdog);
      mark(s);
    };
    u.onend = function () {
      if (my !== token || utterance !== u) return;
      pos++;
      speak(my);
    };
    u.onerror = function (e) {
      if (my !== token) return;
      if (e && (e.error === "interrupted" || e.error === "canceled")) { stop(); return; }
      fail(e && /language|voice/.test(e.error) ? NO_VOICE : FAILED);
    };
    utterance = u;
    mark(s);
    synth.speak(u);
  }
  function begin(from) {
    if (!synth || !Utterance) { fail(NO_SPEECH); return; }
    var my = ++token;
    state = "wait";
    list = build();
    pos = Math.max(0, Math.min(from, list.length - 1));
    ui();
    function go() {
      if (my !== token) return;
      state = "speaking";
      ui();
      say(READING);
      try { synth.cancel(); if (synth.paused) synth.resume(); } catch (e) { /* a stuck queue (Chrome) */ }
      // a phone that says nothing at all has no working voice for Chinese
      watchdog = setTimeout(function () { if (my === token) fail(NO_VOICE); }, START_TIMEOUT);
      setTimeout(function () { speak(my); }, 0);
    }
    if (voicesKnown) { go(); return; }
    say("正在准备语音……");
    withVoices(function (voices) {
      if (my !== token) return;
      voice = pick(voices);
      if (!voice && voices.length) { fail(NO_VOICE); return; }
      // an empty list (some phones never fill it): speak with the language alone
      if (voice) lang = String(voice.lang).replace(/_/g, "-");
      voicesKnown = !!voice;
      go();
    });
  }
  function stop() {
    token++;
    clearTimeout(watchdog);
    try { synth && synth.cancel(); } catch (e) { /* nothing to stop */ }
    state = "stopped";
    unmark();
    ui();
    say(pos > 0 && pos < list.length ? "已停止。点“接着读”从这一句读起。" : "");
  }
  function resume() {
    var old = list[pos];
    var at = pos;
    if (old) {                            // the same sentence in the page as it is now
      var now = build();
      for (var i = 0; i < now.length; i++) if (now[i].raw === old.raw && now[i].block === old.block) { at = i; break; }
    }
    begin(at);
  }

  window.wqRead = {
    toggle: function () {
      if (state === "speaking" || state === "wait") stop();
      else if (pos > 0 && pos < list.length) resume();
      else begin(0);
    },
    restart: function () { begin(0); },
    stop: stop
  };

  // A tap on a paragraph reads from there (links, buttons and selected text keep their meaning).
  document.addEventListener("click", function (e) {
    var art = article(), t = e.target;
    if (!art || !t || !t.closest || !art.contains(t) || e.defaultPrevented) return;
    if (t.closest("a,button,input,select,textarea,summary,label,[tabindex]")) return;
    var sel = window.getSelection && window.getSelection();
    if (sel && String(sel).length) return;
    var block = t.closest(BLOCK);
    var now = build();
    for (var i = 0; i < now.length; i++) {
      if (block && (now[i].block === block || block.contains(now[i].block))) { begin(i); return; }
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && (state === "speaking" || state === "wait")) stop();
  });
  // Leaving the page (and 一键离开, see wq-safety.js) stops the voice at once.
  window.addEventListener("pagehide", function () { token++; try { synth && synth.cancel(); } catch (e) { /* gone */ } });
})();
