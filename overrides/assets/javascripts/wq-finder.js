/* Station finder (weiquan/site/finder.py): type a township, county or city; the place names load
   on first use from <stations>/places/<n>.js with <script> tags (works offline and from file://).
   What is typed is never sent anywhere or stored. */
(function () {
  "use strict";
  var form = document.querySelector("form.wq-finder");
  if (!form) return;
  var input = form.querySelector("input");
  var status = form.querySelector(".wq-finder__status");
  var list = form.querySelector(".wq-finder__results");
  var base = form.getAttribute("data-wq-base") || "";
  var shards = +form.getAttribute("data-wq-shards") || 1;
  var loaded = {}, waiting = {};
  var MAX = 30;

  window.wqPlaces = function (n, rows) {
    loaded[n] = rows;
    (waiting[n] || []).forEach(function (f) { f(); });
    delete waiting[n];
  };

  function shardOf(q) { return shards > 1 ? q.codePointAt(0) % shards : 0; }

  function load(n, done) {
    if (loaded[n]) { done(); return; }
    if (waiting[n]) { waiting[n].push(done); return; }
    waiting[n] = [done];
    var s = document.createElement("script");
    s.src = base + "places/" + n + ".js";
    s.async = true;
    s.onerror = function () {
      delete waiting[n];
      status.textContent = "地名表没有加载成功，请在下面按地区一级一级找。";
    };
    document.head.appendChild(s);
  }

  function clean(q) { return q.replace(/\s+/g, ""); }

  function show() {
    var q = clean(input.value);
    list.textContent = "";
    if (!q) { status.textContent = ""; return; }
    var n = shardOf(q);
    if (!loaded[n]) { status.textContent = "正在查找……"; load(n, show); return; }
    // one file: names containing what was typed; split files: names starting with it
    var rows = loaded[n].filter(function (r) {
      return shards > 1 ? r[0].indexOf(q) === 0 : (r[0].indexOf(q) !== -1 || (r[1] + r[0]).indexOf(q) !== -1);
    });
    rows.sort(function (a, b) { return (a[0].indexOf(q) !== 0) - (b[0].indexOf(q) !== 0) || a[0].length - b[0].length; });
    rows.slice(0, MAX).forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = base + r[2];
      a.textContent = r[0];
      var where = document.createElement("small");
      where.textContent = " " + r[1] + " · " + r[3] + " 个服务站";
      li.appendChild(a);
      li.appendChild(where);
      list.appendChild(li);
    });
    status.textContent = rows.length
      ? "找到 " + rows.length + " 个地方" + (rows.length > MAX ? "，显示前 " + MAX + " 个" : "") + "。点名字去看那里的服务站。"
      : "没有找到“" + q + "”。试试只打前两个字，或在下面按地区找。";
  }

  // one file: load it as soon as the box is touched, so the first letter already finds places
  if (shards === 1) input.addEventListener("focus", function () { load(0, function () {}); }, { once: true });
  input.addEventListener("input", show);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    show();
    var first = list.querySelector("a");
    if (first) first.focus();
  });
})();
