"""Campaigns (issue 18): calendars (.ics) read by two independent parsers, schedules decided on the
reader's date in Chromium (Playwright clock), leaflets for one campaign / one station, print packs."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import time
from pathlib import Path

import icalendar
import pytest
import vobject

from conftest import BIN, run
from weiquan.content.model import Campaign, Event, YearlyRule
from weiquan.content.campaigns import client_occurrences, next_occurrence, when, written_schedule
from weiquan.content.dates import TZ, today as build_today
from weiquan.site.campaigns import status_text

CAMPAIGN = "campaigns/sanba-2027/index.html"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def ics_files(site: Path) -> list[Path]:
    return sorted((site / "calendars").rglob("*.ics"))


# ------------------------------------------------------------------ calendars

def test_every_calendar_parses_with_icalendar_and_vobject(example_site):
    files = ics_files(example_site)
    assert len(files) > 20
    for path in files:
        raw = path.read_bytes()
        cal = icalendar.Calendar.from_ical(raw)
        assert not cal.walk("VTIMEZONE") and b"TZID" not in raw, path   # times in UTC (…Z)
        events = cal.walk("VEVENT")
        assert events, path
        for ev in events:
            assert ev["UID"] and ev["DTSTAMP"] and ev["DTSTART"] and ev["SUMMARY"], path
            start = ev.decoded("DTSTART")
            if isinstance(start, dt.datetime):
                assert start.utcoffset() == dt.timedelta(0), path
        # second, independent parser
        parsed = vobject.readOne(raw.decode("utf-8"))
        vevents = parsed.contents.get("vevent", [])
        assert len(vevents) == len(events), path
        assert sorted(v.uid.value for v in vevents) == sorted(str(e["UID"]) for e in events)
        for v in vevents:
            if isinstance(v.dtstart.value, dt.datetime):
                assert v.dtstart.value.utcoffset() == dt.timedelta(0)


def _events(path: Path) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_calendar_content_uids_and_yearly_rule(example_site):
    cal_dir = example_site / "calendars"
    campaign = _events(cal_dir / "campaigns/sanba-2027.ics")
    # the yearly period repeats every year; 10 dated events
    yearly = [e for e in campaign.values() if "RRULE" in e]
    assert len(yearly) == 1 and yearly[0]["RRULE"]["FREQ"] == ["YEARLY"]
    assert yearly[0].decoded("DTSTART") == dt.date(2027, 3, 1)
    dated = {u: e for u, e in campaign.items() if "RRULE" not in e}
    assert len(dated) == 10
    donghe = dated["20270302-donghe.sanba-2027@weiquan.example.org"]
    assert donghe.decoded("DTSTART") == dt.datetime(2027, 3, 2, 14, 30, tzinfo=TZ)   # 06:30Z
    assert donghe.decoded("DTEND").astimezone(TZ).time() == dt.time(16, 30)
    desc = str(donghe["DESCRIPTION"])
    assert "主办：东河镇妇联" in desc and "紧急求助：" in desc and "110" in desc
    phone = re.search(r"number: \"?([0-9-]+)", (example_site.parent / "content/stations/donghe.yaml")
                      .read_text(encoding="utf-8")).group(1)
    assert phone in desc
    assert "东河镇中心小学" in str(donghe["LOCATION"])
    assert str(donghe["URL"]) == "https://weiquan.example.org/campaigns/sanba-2027/"
    # the same event in its own file and in the station's file: same UID (import updates, not duplicates)
    single = _events(cal_dir / "campaigns/sanba-2027/20270302-donghe.ics")
    assert list(single) == ["20270302-donghe.sanba-2027@weiquan.example.org"]
    station = _events(cal_dir / "stations/donghe.ics")
    assert "20270302-donghe.sanba-2027@weiquan.example.org" in station
    assert all("donghe" in u or "东河" in str(e["LOCATION"]) for u, e in station.items())
    # DTSTAMP is the campaign's `updated` / file date, not the build time
    stamps = {e.decoded("DTSTAMP") for e in campaign.values()}
    assert len(stamps) == 1


def test_calendars_are_identical_when_rebuilt(example_site):
    """The built files equal a fresh generation from the same content in this process (another
    process, another time): no build time inside."""
    from weiquan.content.loader import load_content
    from weiquan.site import SiteContext, generate_files

    content = load_content(example_site.parent / "content")
    files = {k: v for k, v in generate_files(SiteContext(content, site_url="https://weiquan.example.org/")).items()
             if k.startswith("calendars/")}
    assert files and set(files) == {p.relative_to(example_site).as_posix() for p in ics_files(example_site)}
    for rel, data in files.items():
        assert (example_site / rel).read_bytes() == data, rel


def test_pages_link_their_calendars(example_site):
    html = read(example_site, CAMPAIGN)
    links = re.findall(r'<a class="wq-ics" href="([^"]+)"', html)
    assert links[0] == "../../calendars/campaigns/sanba-2027.ics"
    assert html.count('class="wq-event"') == len(links) - 1 == 10     # one per event
    assert "加入日历" in html
    county = read(example_site, "stations/99/9901/990101/index.html")
    section = county[county.index('id="donghe"'):]
    section = section[:section.index("</section>")]
    assert 'href="../../../../calendars/stations/donghe.ics"' in section and "加入日历" in section


# ------------------------------------------------------------------ dates (the rules the script follows)

def _camp(**kw) -> Campaign:
    base = dict(slug="c", name="三八维权周", start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 8),
                yearly=YearlyRule(start="03-01", end="03-08"),
                events=[Event(date=dt.date(2027, 3, 2), place="示例广场", activity="咨询", organiser="示例县妇联")])
    base.update(kw)
    return Campaign(**base)


def test_next_dates_of_a_yearly_campaign():
    c = _camp()
    assert next_occurrence(c, dt.date(2027, 3, 5)) is None          # this year's schedule runs
    assert status_text(c, dt.date(2027, 3, 5)) == "活动正在进行"
    assert next_occurrence(c, dt.date(2027, 3, 9)) == (dt.date(2028, 3, 1), dt.date(2028, 3, 8))
    assert next_occurrence(c, dt.date(2028, 3, 4)) == (dt.date(2028, 3, 1), dt.date(2028, 3, 8))   # 本届
    assert next_occurrence(c, dt.date(2028, 6, 1)) == (dt.date(2029, 3, 1), dt.date(2029, 3, 8))
    assert next_occurrence(_camp(yearly=None), dt.date(2028, 6, 1)) is None
    over_new_year = _camp(start=None, end=None, year=2027, yearly=YearlyRule(start="12-25", end="01-05"),
                          events=[])
    assert written_schedule(over_new_year) == (dt.date(2027, 12, 25), dt.date(2028, 1, 5))
    assert next_occurrence(over_new_year, dt.date(2028, 2, 1)) == (dt.date(2028, 12, 25), dt.date(2029, 1, 5))
    # what the page gives the client script: the occurrences not over on the build date
    bare = _camp(start=None, end=None, year=None, events=[], yearly=YearlyRule(start="12-25", end="01-05"))
    assert written_schedule(bare) is None
    assert [s.iso() for s in client_occurrences(bare, dt.date(2028, 1, 3))[:2]] == \
        ["2027-12-25/2028-01-05", "2028-12-25/2029-01-05"]
    assert client_occurrences(c, dt.date(2027, 3, 5))[0].iso() == "2028-03-01/2028-03-08"
    leap = _camp(start=None, end=None, year=None, events=[], yearly=YearlyRule(start="02-29", end="03-01"))
    assert next_occurrence(leap, dt.date(2027, 1, 1)) == (dt.date(2027, 2, 28), dt.date(2027, 3, 1))
    assert [when(dt.date(2027, 3, d), dt.date(2027, 3, 2)) for d in (1, 2, 3)] == ["past", "today", "upcoming"]


# ------------------------------------------------------------------ in the browser, on the reader's date

def _at(page, iso: str, url: str):
    page.clock.set_fixed_time(dt.datetime.fromisoformat(iso))
    page.goto(url, wait_until="load")
    page.wait_for_function("document.documentElement.hasAttribute('data-wq-today')")


def _event_state(page, date: str) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        f'.wq-event[data-date="{date}"]',
        "els => els.map(e => [e.getAttribute('data-wq-when'), e.querySelector('.wq-when').textContent])")


@pytest.mark.browser
def test_schedule_follows_the_readers_date(page, site_server):
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    # after the event of 2 March, before that of 6 March
    _at(page, "2027-03-05T10:00:00+08:00", site_server + "campaigns/sanba-2027/")
    assert _event_state(page, "2027-03-02") == [["past", "已结束"], ["past", "已结束"]]
    assert _event_state(page, "2027-03-05") == [["today", "今天"]]
    assert _event_state(page, "2027-03-06") == [["upcoming", "即将举行"]] * 2
    assert page.inner_text("[data-wq-status]") == "活动正在进行"
    assert not page.is_visible("[data-wq-next]")
    # home page: 2 March no longer listed as upcoming; 5 March marked today
    _at(page, "2027-03-05T10:00:00+08:00", site_server)
    visible = page.eval_on_selector_all("[data-wq-upcoming] li[data-date]:not([hidden])",
                                        "els => els.map(e => e.getAttribute('data-date'))")
    assert visible and "2027-03-02" not in visible and visible[0] == "2027-03-05" and len(visible) == 6
    assert "今天" in page.inner_text("[data-wq-upcoming] li[data-date='2027-03-05']")
    # a year on: this year's schedule is over, the yearly campaign shows next year's dates
    _at(page, "2027-12-20T09:00:00+08:00", site_server + "campaigns/sanba-2027/")
    assert page.inner_text("[data-wq-status]") == "活动已结束"
    assert page.is_visible("[data-wq-next]")
    assert "下一届：2028年3月1日至3月8日" in page.inner_text("[data-wq-next]")
    assert set(page.eval_on_selector_all(".wq-event", "els => els.map(e => e.dataset.wqWhen)")) == {"past"}
    _at(page, "2028-06-01T09:00:00+08:00", site_server + "campaigns/sanba-2027/")
    assert "下一届：2029年3月1日至3月8日" in page.inner_text("[data-wq-next]")
    _at(page, "2028-03-04T09:00:00+08:00", site_server)
    home = page.inner_text("[data-wq-upcoming]")
    assert "2028年3月1日至3月8日" in home and "三八维权周" in home
    assert page.eval_on_selector_all("[data-wq-upcoming] li[data-date]:not([hidden])", "els => els.length") == 0
    assert not problems, problems


def test_build_time_list_is_the_fallback(example_site):
    """Without JavaScript the page says what was true on the build date."""
    today = build_today()
    html = read(example_site, CAMPAIGN)
    states = re.findall(r'<div class="wq-event" data-date="([\d-]+)" data-wq-when="(\w+)">'
                        r'<p><span class="wq-when">([^<]+)</span>', html)
    assert len(states) == 10
    for date, state, label in states:
        assert state == when(dt.date.fromisoformat(date), today)
        assert label == {"upcoming": "即将举行", "today": "今天", "past": "已结束"}[state]
    assert re.search(r'<script src="\.\./\.\./assets/javascripts/wq-campaigns\.js" defer>', html)
    home = read(example_site, "index.html")
    shown = re.findall(r'<li data-date="([\d-]+)" data-wq-when="\w+">', home)
    future = sorted(d for d in re.findall(r'<li data-date="([\d-]+)"', home))
    assert shown == future[:6] and all(d >= today.isoformat() for d in shown)


# ------------------------------------------------------------------ leaflets

def test_leaflet_picker_and_print_pack(example_site):
    html = read(example_site, CAMPAIGN)
    picker = html[html.index('<details class="wq-picker">'):html.index("</details>")]
    stations = len(list((example_site.parent / "content/stations").glob("*.yaml")))
    assert picker.count("<li>") == stations           # `stations: all`
    # outside the picker: the general set and the pack, each as office and print-shop (印刷厂) edition
    assert html.count(".pdf") - picker.count(".pdf") <= 10
    assert picker.count("-yinshua.pdf") == picker.count(".pdf") // 2     # each station: both editions
    assert 'href="../../leaflets/sanba-2027/print-pack-a5.pdf"' in html
    assert 'href="../../leaflets/sanba-2027/print-pack-a5-yinshua.pdf"' in html
    assert "印刷厂版" in html and "用哪一种：" in html
    pack = example_site / "leaflets/sanba-2027/print-pack-a5.pdf"
    info = subprocess.run(["pdfinfo", pack], capture_output=True, text=True, check=True).stdout
    assert f"Pages:           {stations}" in info
    first = sorted(p.stem for p in (example_site.parent / "content/stations").glob("*.yaml"))[0]
    name = re.search(r"^name: (.+)$", (example_site.parent / f"content/stations/{first}.yaml")
                     .read_text(encoding="utf-8"), re.M).group(1)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", pack, "-"], capture_output=True, text=True).stdout
    assert re.sub(r"\s", "", name) in re.sub(r"\s", "", text)


@pytest.mark.usefixtures("poppler")
def test_cli_renders_one_station_of_one_campaign(project, report):
    out = project / "out"
    t0 = time.perf_counter()
    result = run(BIN / "weiquan", "leaflets", "--config", project / "mkdocs.yml", "--campaign", "sanba-2027",
                 "--station", "donghe", "--out", out, cwd=project, check=False)
    seconds = time.perf_counter() - t0
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    # its leaflets (office and print-shop editions), and its wall poster and visit register
    assert written == [f"leaflets/sanba-2027/donghe-{k}.pdf" for k in
                       ("a5-pinyin-yinshua", "a5-pinyin", "a5-yinshua", "a5",
                        "trifold-pinyin-yinshua", "trifold-pinyin", "trifold-yinshua", "trifold")] + \
        [f"leaflets/stations/990101/donghe-{k}.pdf" for k in
         ("gongshipai-a3-pinyin", "gongshipai-a3", "laifang-dengjibiao")]
    report(f"weiquan leaflets --campaign sanba-2027 --station donghe: {seconds:.1f} s wall "
           f"({result.stdout.strip()})")
    bad = run(BIN / "weiquan", "leaflets", "--config", project / "mkdocs.yml", "--campaign", "nowhere",
              cwd=project, check=False)
    assert bad.returncode == 1 and "找不到活动“nowhere”" in bad.stderr and "Traceback" not in bad.stderr


def test_duplicate_event_key_is_a_clear_error(project):
    camp = project / "content/campaigns/jiatingri-2027.yaml"
    lines = camp.read_text(encoding="utf-8").splitlines()
    events = [i for i, l in enumerate(lines) if l.lstrip().startswith("- {date:")]
    for i in events[:2]:
        lines[i] = lines[i].replace("}", ", key: kaimu}")
    camp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(BIN / "weiquan", "check", "content", cwd=project, check=False)
    assert result.returncode == 1
    assert (f"content/campaigns/jiatingri-2027.yaml:{events[1] + 1}: 活动编号“kaimu”与第 1 项活动重复"
            in result.stdout + result.stderr), result.stdout + result.stderr
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ B1: a yearly campaign over New Year

NEW_YEAR = """slug: yuandan
name: 元旦春节送温暖
yearly: {start: "12-25", end: "01-05"}
"""


@pytest.mark.parametrize("today, shown", [
    ("2027-12-28", "2027年12月25日至2028年1月5日"),   # running: this winter's dates, not next winter's
    ("2028-01-03", "2027年12月25日至2028年1月5日"),
    ("2028-02-01", "2028年12月25日至2029年1月5日"),   # over: next winter's
])
def test_campaign_over_new_year_is_dated_once(project, monkeypatch, today, shown):
    """The campaign list, the page header and the status line give the same dates (issue 26 B1)."""
    from weiquan.content.loader import load_content
    from weiquan.site import SiteContext
    from weiquan.site.campaigns import campaign_index, campaign_page

    (project / "content/campaigns/yuandan.yaml").write_text(NEW_YEAR, encoding="utf-8")
    epoch = dt.datetime.fromisoformat(today + "T12:00:00+08:00").timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))
    content = load_content(project / "content")
    site = SiteContext(content)
    camp = next(c for c in content.campaigns if c.slug == "yuandan")
    index = campaign_index(site).markdown
    item = index[index.index('href="yuandan/"'):]
    assert re.search(r"<small>([^<·]+)", item).group(1).strip() == shown
    page = campaign_page(site, camp).markdown
    assert f'<p class="wq-campaign-meta"><strong>{shown}</strong>' in page
    label = "本届" if today < "2028-01-06" else "下一届"
    assert f"{label}：{shown}。" in page
