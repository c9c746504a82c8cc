/* weiquan: guided application pages (weiquan/site/forms.py). One screen of questions at a time,
   then the application is filled in right here in the page, ready to print.
   Nothing typed leaves this page: no request, no storage (no localStorage, sessionStorage,
   IndexedDB or cookies), no <form> to submit. Answers are wiped on 一键离开, when the page is
   hidden or closed, and after a period without input. */
(function () {
  "use strict";
  var BLANK = "＿＿＿＿＿＿";

  function init() {
    var root = document.getElementById("wq-form");
    var dataEl = document.getElementById("wq-form-data");
    if (!root || !dataEl) return;
    var data = {};
    try { data = JSON.parse(dataEl.textContent); } catch (e) { /* defaults below */ }
    var idleMs = (data.idle || 10) * 60 * 1000;
    var doc = document.getElementById("wq-doc");
    var result = document.querySelector(".wq-form-result");
    var steps = Array.prototype.slice.call(root.querySelectorAll(".wq-step"));
    var progress = root.querySelector(".wq-form-progress");
    var cleared = root.querySelector(".wq-form-cleared");
    var btn = {};
    Array.prototype.forEach.call(document.querySelectorAll("[data-go]"), function (b) { btn[b.getAttribute("data-go")] = b; });
    var current = 0;
    var idleTimer = null;

    document.documentElement.classList.add("wq-form-js");

    function controls() {
      return Array.prototype.slice.call(root.querySelectorAll("input, textarea, select"));
    }
    function hasAnswers() {
      return controls().some(function (c) { return c.type === "checkbox" ? c.checked : c.value !== ""; });
    }

    function show(i) {
      current = Math.max(0, Math.min(steps.length - 1, i));
      steps.forEach(function (s, k) { s.classList.toggle("is-current", k === current); });
      progress.hidden = false;
      progress.textContent = "第 " + (current + 1) + " 步，共 " + steps.length + " 步";
      btn.back.hidden = current === 0;
      btn.next.hidden = current === steps.length - 1;
      btn.done.hidden = current !== steps.length - 1;
    }

    function value(id) {
      var el = root.querySelector('[data-field="' + id + '"]');
      return el ? el.value.trim() : "";
    }
    function checked(kind) {
      var out = {};
      Array.prototype.forEach.call(root.querySelectorAll("[data-" + kind + "]"), function (c) {
        if (c.checked) out[c.getAttribute("data-" + kind)] = true;
      });
      return out;
    }
    function keepOnly(selector, attr, chosen) {
      var any = false;
      Array.prototype.forEach.call(doc.querySelectorAll(selector), function (li) {
        var on = !!chosen[li.getAttribute(attr)];
        li.hidden = !on;
        any = any || on;
      });
      return any;
    }

    function fill() {
      Array.prototype.forEach.call(doc.querySelectorAll("[data-slot]"), function (s) {
        s.textContent = value(s.getAttribute("data-slot")) || BLANK;  // text only, never HTML
      });
      var measures = checked("measure");
      var evidence = checked("evidence");
      if (!keepOnly("[data-measure-item]", "data-measure-item", measures)) {
        keepOnly("[data-measure-item]", "data-measure-item", allOf("measure"));
      }
      keepOnly(".wq-doc-evidence [data-evidence-item]", "data-evidence-item", evidence);
      keepOnly(".wq-doc-bring [data-evidence-item]", "data-evidence-item", evidence);
      result.classList.add("is-ready");
      btn.print.hidden = false;
      doc.setAttribute("tabindex", "-1");
      doc.focus();
      doc.scrollIntoView();
    }
    function allOf(kind) {
      var out = {};
      Array.prototype.forEach.call(root.querySelectorAll("[data-" + kind + "]"), function (c) {
        out[c.getAttribute("data-" + kind)] = true;
      });
      return out;
    }

    function clearAll(reason) {
      controls().forEach(function (c) {
        if (c.type === "checkbox") c.checked = false; else c.value = "";
      });
      Array.prototype.forEach.call(doc.querySelectorAll("[data-slot]"), function (s) { s.textContent = BLANK; });
      Array.prototype.forEach.call(doc.querySelectorAll("li[hidden]"), function (li) { li.hidden = false; });
      result.classList.remove("is-ready");
      btn.print.hidden = true;
      show(0);
      if (reason) { cleared.hidden = false; cleared.textContent = reason; }
    }

    function touch() {
      cleared.hidden = true;
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(function () {
        if (hasAnswers()) clearAll("很久没有操作，已自动清空，你填写的内容已经删除。");
      }, idleMs);
    }

    btn.next.addEventListener("click", function () { show(current + 1); steps[current].scrollIntoView(); });
    btn.back.addEventListener("click", function () { show(current - 1); steps[current].scrollIntoView(); });
    btn.done.addEventListener("click", fill);
    btn.print.addEventListener("click", function () { fill(); window.print(); });
    btn.clear.addEventListener("click", function () { clearAll("已清空，你填写的内容已经删除。"); });
    ["input", "change", "keydown", "pointerdown", "touchstart"].forEach(function (t) {
      root.addEventListener(t, touch, { passive: true });
    });
    // 一键离开 (button or Shift ×3, wq-safety.js) and closing or leaving the page: wipe first.
    var exit = document.getElementById("wq-exit");
    if (exit) exit.addEventListener("click", function () { clearAll(); }, true);
    window.addEventListener("pagehide", function () { clearAll(); });
    window.addEventListener("pageshow", function () { clearAll(); });
    window.addEventListener("beforeunload", function () { clearAll(); });
    clearAll();  // values a browser may have restored on reload
    cleared.hidden = true;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
