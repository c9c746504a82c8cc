"""The guided 人身安全保护令 application (content/forms/baohuling.yaml, weiquan/site/forms.py,
wq-form.js) in real Chromium on a 360 px phone: fill it in, print it to PDF, and check that no
answer is sent, stored or left behind (一键离开, reload, idle time)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from conftest import FIXTURE_CONTENT
from test_accessibility import axe_source, run_axe

pytestmark = pytest.mark.browser

FORM = yaml.safe_load((FIXTURE_CONTENT / "forms" / "baohuling.yaml").read_text(encoding="utf-8"))
PATH = "forms/baohuling/"
ANSWERS = {"name": "李示梅", "phone": "0000-0000001", "address": "示例县东河镇示例村",
           "other-name": "王示强", "other-address": "示例县城关镇示例路1号",
           "when": "上周六晚上", "where": "家里厨房", "what": "他喝酒后用皮带打我的背和胳膊",
           "danger": "他说还要打死我"}
MEASURES = ["no-violence", "no-contact", "keep-away"]
EVIDENCE = ["police", "medical", "messages"]


@pytest.fixture()
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    page = context.new_page()
    yield page
    context.close()


def fill_interview(page) -> None:
    """Answer every screen the way a person would: type, choose, tick, press 下一步."""
    steps = page.locator(".wq-step")
    for i in range(steps.count()):
        step = steps.nth(i)
        assert step.is_visible() and all(not steps.nth(k).is_visible() for k in range(steps.count()) if k != i)
        for field in step.locator("[data-field]").all():
            fid = field.get_attribute("data-field")
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option("丈夫")
            else:
                field.fill(ANSWERS[fid])
        for m in MEASURES:
            box = step.locator(f'[data-measure="{m}"]')
            if box.count():
                box.check()
        for e in EVIDENCE:
            box = step.locator(f'[data-evidence="{e}"]')
            if box.count():
                box.check()
        if i < steps.count() - 1:
            page.click('[data-go="next"]')
    page.click('[data-go="done"]')


def answers_left(page) -> list[str]:
    """Answers still visible anywhere in the page or in its storage."""
    found = page.evaluate("""async (values) => {
        const controls = [...document.querySelectorAll('input, textarea, select')]
            .map(c => c.type === 'checkbox' ? (c.checked ? 'checked:' + c.id : '') : c.value);
        const safe = async (f) => { try { return JSON.stringify(await f()); } catch (e) { return ''; } };
        const ls = await safe(() => Object.assign({}, localStorage));
        const ss = await safe(() => Object.assign({}, sessionStorage));
        const dbs = await safe(() => indexedDB.databases ? indexedDB.databases() : []);
        const cache = await safe(() => self.caches ? caches.keys() : []);
        const cookie = await safe(() => document.cookie);
        const text = document.documentElement.outerHTML + controls.join('|') + ls + ss + dbs + cache + cookie;
        return values.filter(v => text.includes(v)).concat(controls.filter(c => c.startsWith('checked:')));
    }""", [v for v in ANSWERS.values()])
    return found


def test_form_page_comes_from_content(example_site):
    html = (example_site / PATH / "index.html").read_text(encoding="utf-8")
    for m in FORM["measures"]:
        assert m["label"] in html and m["request"] in html
    for e in FORM["evidence"]:
        assert e["label"] in html and e["item"] in html
    assert FORM["privacy"] in html and FORM["notice"] in html
    article = html.split('<article', 1)[1].split("</article>", 1)[0]
    assert "<form" not in article, "nothing typed on this page may be submittable"
    assert 'href="../../laws/fan-jiating-baoli-fa/#a29"' in html   # measures cite 第二十九条
    assert 'autocomplete="off"' in html


def test_fill_in_print_and_leave_no_trace(phone, site_server, tmp_path):
    requests: list[str] = []
    phone.goto(site_server + PATH, wait_until="load")
    phone.wait_for_timeout(300)
    phone.on("request", lambda r: requests.append(r.url) if "favicon" not in r.url else None)  # the browser's own
    fill_interview(phone)
    doc = phone.locator("#wq-doc")
    assert doc.is_visible()
    text = doc.inner_text()
    for v in ANSWERS.values():
        assert v in text
    requests_chosen = [m["request"] for m in FORM["measures"] if m["id"] in MEASURES]
    assert all(r in text for r in requests_chosen)
    assert all(m["request"] not in text for m in FORM["measures"] if m["id"] not in MEASURES)
    assert all(e["item"] in text for e in FORM["evidence"] if e["id"] in EVIDENCE)
    assert FORM["court"]["rule"] in text
    assert requests == [], f"the page made requests while filling: {requests}"

    pdf = tmp_path / "application.pdf"
    phone.emulate_media(media="print")
    phone.pdf(path=str(pdf), format="A4")
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext missing (apt-get install poppler-utils)")
    printed = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                             check=True).stdout.replace(" ", "")
    for v in ("李示梅", "王示强", "皮带"):
        assert v in printed
    assert "禁止被申请人实施家庭暴力" in printed and "医疗机构的诊疗记录" in printed
    assert "一键离开" not in printed, "print shows only the application"
    phone.emulate_media(media="screen")

    assert requests == []
    assert phone.evaluate("document.cookie") == "" and phone.context.cookies() == []
    phone.reload(wait_until="load")
    assert answers_left(phone) == [], "answers survive a reload"


def test_quick_exit_wipes_answers(phone, site_server):
    phone.route("https://www.weather.com.cn/**", lambda route: route.fulfill(body="<title>天气</title>",
                                                                             content_type="text/html"))
    phone.goto(site_server + PATH, wait_until="load")
    fill_interview(phone)
    phone.click("#wq-exit")
    phone.wait_for_url("https://www.weather.com.cn/**")
    shown = []
    for _ in range(3):   # wherever Back leads (a neutral entry forwards on), no answer may be there
        phone.go_back(wait_until="commit")
        phone.wait_for_timeout(400)
        shown.append(phone.url)
        for attempt in range(5):
            try:
                assert answers_left(phone) == [], shown
                break
            except Exception as exc:  # noqa: BLE001 - a forwarding page navigates while we look
                if "Execution context was destroyed" not in str(exc) or attempt == 4:
                    raise
                phone.wait_for_timeout(300)
    assert all(PATH not in url for url in shown[:1]), f"Back showed the form again: {shown}"


def test_answers_vanish_after_idle_time(phone, site_server):
    phone.clock.install()
    phone.goto(site_server + PATH, wait_until="load")
    phone.fill('[data-field="name"]', ANSWERS["name"])
    phone.clock.run_for(FORM["idle_minutes"] * 60 * 1000 + 1000)
    assert phone.input_value('[data-field="name"]') == ""
    assert phone.locator(".wq-form-cleared").is_visible()


def test_works_from_file_url(phone, example_site):
    phone.goto((example_site / PATH / "index.html").as_uri(), wait_until="load")
    fill_interview(phone)
    assert ANSWERS["other-name"] in phone.locator("#wq-doc").inner_text()


def test_axe_on_every_step(phone, site_server):
    source = axe_source()
    phone.goto(site_server + PATH, wait_until="load")
    report = {}
    steps = phone.locator(".wq-step").count()
    for i in range(steps):
        phone.wait_for_timeout(500)   # let Material's back-to-top button finish fading in
        bad = run_axe(phone, source)
        if bad:
            report[f"step {i + 1}"] = bad
        if i < steps - 1:
            phone.click('[data-go="next"]')
    phone.click('[data-go="done"]')
    phone.wait_for_timeout(500)
    bad = run_axe(phone, source)
    if bad:
        report["application"] = bad
    phone.click("#wq-textsize")
    phone.wait_for_timeout(500)
    bad = run_axe(phone, source)
    if bad:
        report["application 大字"] = bad
    assert not report, report
