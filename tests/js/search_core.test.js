// The search client's core (wq-search-core.js) against the golden file written by Python
// (tests/search_golden.py): for every query the same parsed terms and the same ranked ids,
// coverage, exact flag and score.  Run: node --test tests/js/   (pytest runs it too).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const ROOT = path.resolve(__dirname, "..", "..");
const INDEX = path.join(ROOT, "tests", "data", "search_golden", "index");
const GOLDEN = JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "data", "search_golden", "golden.json"), "utf8"));

function client() {
  const sandbox = {};
  sandbox.globalThis = sandbox;
  vm.createContext(sandbox);
  vm.runInContext(fs.readFileSync(path.join(ROOT, "overrides", "assets", "javascripts", "wq-search-core.js"), "utf8"), sandbox);
  const W = sandbox.wqSearch;
  const loaded = [];
  W.loader = (name) => {
    if (!(name in W.core.cache)) {
      vm.runInContext(fs.readFileSync(path.join(INDEX, name + ".js"), "utf8"), sandbox);
      loaded.push(name);
    }
    return Promise.resolve(W.core.cache[name]);
  };
  return {W, loaded};
}

test("every index file is a script an ES5 engine parses (no raw U+2028/U+2029)", () => {
  const files = [];
  (function walk(dir) {
    for (const f of fs.readdirSync(dir, {withFileTypes: true})) {
      if (f.isDirectory()) walk(path.join(dir, f.name)); else files.push(path.join(dir, f.name));
    }
  })(INDEX);
  assert.ok(files.length > 5);
  for (const f of files) {
    const text = fs.readFileSync(f, "utf8");
    assert.ok(!/[\u2028\u2029]/.test(text), f);
    assert.ok(text.startsWith("wqSearch.add("), f);
  }
});

test("golden queries: same terms, same ranking", async () => {
  const {W} = client();
  const queries = Object.keys(GOLDEN);
  assert.ok(queries.length >= 50);
  for (const q of queries) {
    const r = await W.core.search(q, 10);
    const got = JSON.parse(JSON.stringify(r.qt));     // plain data, as written by Python
    assert.deepEqual(got, GOLDEN[q].qt, "terms of " + JSON.stringify(q));
    const ranked = JSON.parse(JSON.stringify(r.results.map((x) => [x.rec[6], x.cov, x.exact, x.score])));
    assert.deepEqual(ranked, GOLDEN[q].ranked, "ranking of " + JSON.stringify(q));
  }
});

test("a query that needs no second look does not load the sound-alike tables", async () => {
  const {W, loaded} = client();
  await W.core.search("家庭暴力", 10);
  assert.ok(!loaded.includes("p"), loaded.join(" "));
  await W.core.search("家廷暴力", 10);
  assert.ok(loaded.includes("p"), loaded.join(" "));
});

test("the U+2028 in a title survives as text", async () => {
  const {W} = client();
  const r = await W.core.search("一键离开", 3);
  const rec = r.results.map((x) => x.rec).find((x) => x[6] === "page:safety");
  assert.ok(rec && rec[3].includes("\u2028"), JSON.stringify(rec));
});
