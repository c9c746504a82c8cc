/* weiquan: campaign schedules on the day they are read. The page was built with the build
   date's answer; this decides again from the reader's date (in Asia/Shanghai, where the events
   are): each event upcoming / today / past, the campaign's status, a yearly campaign's next
   dates once its written schedule is over, and the home page's upcoming list. The dates come
   from the page (weiquan/content/campaigns.py: data-start/data-end, the written schedule;
   data-next, the yearly rule's next occurrences): this only compares dates. Reads only data-
   attributes; writes text with textContent. */
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function iso(d) { return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()); }
  function today() {
    var now = new Date();
    try {
      var p = {};
      new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" })
        .formatToParts(now).forEach(function (x) { p[x.type] = x.value; });
      if (p.year && p.month && p.day) return p.year + "-" + p.month + "-" + p.day;
    } catch (e) { /* old browser: the phone's own date */ }
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }
  function parse(s) { var a = s.split("-"); return new Date(Date.UTC(+a[0], +a[1] - 1, +a[2])); }
  function cn(s, withYear) {
    var d = parse(s);
    return (withYear ? d.getUTCFullYear() + "年" : "") + (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日";
  }
  function range(a, b) {
    if (a === b) return cn(a, true);
    return cn(a, true) + "至" + cn(b, a.slice(0, 4) !== b.slice(0, 4));
  }
  // the first of a yearly rule's occurrences ("start/end start/end …") not over by t, once the
  // written schedule (ending `after`) is over
  function next(list, after, t) {
    if (!list || (after && t <= after)) return null;
    var all = list.split(" ");
    for (var i = 0; i < all.length; i++) {
      var r = all[i].split("/");
      if (r[1] >= t) return r;
    }
    return null;
  }
  function when(date, t) { return date < t ? "past" : date === t ? "today" : "upcoming"; }
  var LABEL = { upcoming: "即将举行", today: "今天", past: "已结束" };
  var t = today();
  document.documentElement.setAttribute("data-wq-today", t);

  // campaign page: status, next year's dates
  document.querySelectorAll("[data-wq-campaign]").forEach(function (box) {
    var s = box.getAttribute("data-start"), e = box.getAttribute("data-end");
    var status = box.querySelector("[data-wq-status]");
    if (status && s && e) status.textContent = t < s ? "活动即将开始" : t <= e ? "活动正在进行" : "活动已结束";
    var nx = box.querySelector("[data-wq-next]");
    var r = next(box.getAttribute("data-next"), e, t);
    if (nx) {
      nx.hidden = !r;
      nx.textContent = r ? (r[0] <= t ? "本届：" : "下一届：") + range(r[0], r[1]) + "。具体安排公布后在本页更新。" : "";
    }
  });
  // each event of a schedule
  document.querySelectorAll(".wq-event[data-date]").forEach(function (ev) {
    var w = when(ev.getAttribute("data-date"), t);
    ev.setAttribute("data-wq-when", w);
    var label = ev.querySelector(".wq-when");
    if (label) label.textContent = LABEL[w];
  });
  // home page: upcoming events, then yearly campaigns' next dates
  document.querySelectorAll("[data-wq-upcoming]").forEach(function (list) {
    var limit = +list.getAttribute("data-limit") || 6, shown = 0;
    list.querySelectorAll("li[data-date]").forEach(function (li) {
      var w = when(li.getAttribute("data-date"), t);
      li.setAttribute("data-wq-when", w);
      li.hidden = w === "past" || shown >= limit;
      if (!li.hidden) shown++;
      var label = li.querySelector(".wq-when");
      if (w === "today" && !label) {
        label = document.createElement("span");
        label.className = "wq-when";
        label.textContent = "今天";
        li.insertBefore(label, li.firstChild.nextSibling);
        li.insertBefore(document.createTextNode(" "), label);
      }
    });
    list.querySelectorAll("li[data-wq-yearly]").forEach(function (li) {
      var r = next(li.getAttribute("data-next"), li.getAttribute("data-end"), t);
      li.hidden = !r;
      var out = li.querySelector("[data-wq-range]");
      if (r && out) out.textContent = range(r[0], r[1]);
    });
    var empty = list.querySelector("li[data-wq-empty]");
    if (empty) empty.hidden = !!list.querySelector("li:not([hidden]):not([data-wq-empty])");
  });
})();
