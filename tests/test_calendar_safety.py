"""Calendars hold content as text (issue 23): multi-line values work, control characters are
refused at `weiquan check` with file:line, and no value can add an event or an alarm."""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
import pytest
import vobject

from conftest import BIN, copy_content, run
from weiquan.content.loader import load_content
from weiquan.site.calendars import Calendars

CAMPAIGN = "campaigns/sanba-2027.yaml"


@pytest.fixture()
def content(tmp_path) -> Path:
    dest = tmp_path / "content"
    return copy_content(dest)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_multi_line_values_stay_in_their_property(content):
    camp = content / CAMPAIGN
    edit(camp, "theme: 依法维权 远离家暴（示例主题）",
         "theme: |\n  依法维权\n  BEGIN:VEVENT\n  SUMMARY:注入的活动\n  END:VEVENT")
    edit(camp, "activity: 三八维权周启动仪式暨普法宣传咨询,", "activity: \"启动仪式\\nBEGIN:VALARM\\nACTION:DISPLAY\\nEND:VALARM\",")
    edit(camp, "name: 三八维权周", "name: \"三八维权周; X-EVIL:1, 第二行\"")
    loaded = load_content(content)
    files = Calendars(loaded, "https://example.org/").files()
    sanba = next(c for c in loaded.campaigns if c.slug == "sanba-2027")
    raw = files["calendars/campaigns/sanba-2027.ics"]
    cal = icalendar.Calendar.from_ical(raw)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == len(sanba.events) + 1   # the events and the campaign period, nothing more
    assert not list(cal.walk("VALARM"))
    # X- properties are read back as written: the TEXT escaping of the value, on one logical line
    assert cal["X-WR-CALNAME"].to_ical() == icalendar.vText(sanba.name).to_ical()
    assert cal["X-WR-CALDESC"].to_ical() == icalendar.vText(sanba.theme).to_ical()
    assert b"\\;" in cal["X-WR-CALNAME"].to_ical() and b"\\n" in cal["X-WR-CALDESC"].to_ical()
    assert any(str(e["SUMMARY"]).startswith(sanba.events[0].activity) for e in events)
    for path, data in files.items():   # every file: one calendar, no injected component, for both readers
        text = data.decode("utf-8")
        lines = text.split("\r\n")   # content lines; a value's BEGIN:… is text inside its own line
        assert lines.count("BEGIN:VEVENT") == len(list(icalendar.Calendar.from_ical(data).walk("VEVENT"))), path
        assert "BEGIN:VALARM" not in lines and not re.search(r"\r(?!\n)|(?<!\r)\n", text), path
        parsed = vobject.readOne(text)
        assert not [c for c in parsed.getChildren() if c.name == "VALARM"], path


@pytest.mark.slow   # generates every page of the whole test content
def test_pages_and_files_generate_with_multi_line_values(content):
    from weiquan.build.engine import BuildOptions, prepare
    edit(content / CAMPAIGN, "activity: 三八维权周启动仪式暨普法宣传咨询,", "activity: \"启动仪式\\n第二行\",")
    edit(content / "stations/donghe.yaml", "\nname: ", "\nname: |-\n  东河镇\n  妇女维权服务站\nold_name: ")
    text = (content / "stations/donghe.yaml").read_text(encoding="utf-8")
    (content / "stations/donghe.yaml").write_text(re.sub(r"\nold_name: .*", "", text), encoding="utf-8")
    build = prepare(BuildOptions(content_dir=content))
    assert build.files and build.pages


@pytest.mark.slow   # `weiquan check` on the whole test content
@pytest.mark.parametrize("file, old, new", [
    (CAMPAIGN, "theme: 依法维权 远离家暴（示例主题）", 'theme: "依法维权\\rBEGIN:VEVENT"'),
    ("stations/donghe.yaml", "\nname: ", '\nname: "东河\\rEND:VCALENDAR"\nold_name: '),
    (CAMPAIGN, "activity: 三八维权周启动仪式暨普法宣传咨询,", 'activity: "启动\\x1b[31m仪式",'),
])
def test_control_characters_are_refused_with_file_and_line(content, file, old, new):
    path = content / file
    edit(path, old, new)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\nold_name: .*", "", text)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "\\r" in l or "\\x1b" in l)
    result = run(BIN / "weiquan", "check", content, cwd=content.parent, check=False)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out, out
    assert f"content/{file}:{line}" in out and "看不见" in out, out


@pytest.mark.slow   # `weiquan check` on the whole test content
def test_control_character_in_a_guide_body_is_refused(content):
    guide = content / "guides/caili.md"
    lines = guide.read_text(encoding="utf-8").split("\n")
    lines[-2] += "\x0c"
    guide.write_text("\n".join(lines), encoding="utf-8")
    result = run(BIN / "weiquan", "check", content, cwd=content.parent, check=False)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and f"content/guides/caili.md:{len(lines) - 1}" in out and "换页符" in out, out


def test_an_event_file_holds_what_a_reader_needs_once(content):
    """Issue 27 (site size): times in UTC and no VTIMEZONE; no default-valued or copied
    properties; the description keeps the organiser, the station's phones and address, the
    emergency numbers and the page, and a time DTSTART cannot hold stays in words."""
    import datetime as dt

    from weiquan.content.dates import TZ
    edit(content / CAMPAIGN, 'time: "09:00—11:00", place: 城关镇农贸市场门口（示例）', 'time: 上午, place: 城关镇农贸市场门口（示例）')
    loaded = load_content(content)
    files = Calendars(loaded, "https://example.org/", campaign_page=lambda camp: f"campaigns/{camp.slug}/").files()
    raw = files["calendars/campaigns/sanba-2027/20270302-donghe.ics"]
    lines = raw.decode("utf-8").replace("\r\n ", "").split("\r\n")   # unfolded
    names = {line.split(":", 1)[0].split(";", 1)[0] for line in lines if line}
    assert not names & {"CALSCALE", "X-WR-TIMEZONE", "LAST-MODIFIED", "TRANSP", "STATUS", "TZID"}, names
    assert b"VTIMEZONE" not in raw and b"TZID" not in raw
    assert "DTSTART:20270302T063000Z" in lines and "DTEND:20270302T083000Z" in lines   # 14:30—16:30 in China
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert event.decoded("DTSTART").astimezone(TZ) == dt.datetime(2027, 3, 2, 14, 30, tzinfo=TZ)
    desc = str(event["DESCRIPTION"])
    donghe = loaded.station_by_slug["donghe"]
    for fact in ["主办：东河镇妇联", donghe.address, "https://example.org/campaigns/sanba-2027/",
                 *(p.number for p in donghe.phones), *(h.number for h in loaded.settings.hotlines[:2])]:
        assert fact in desc, fact
    assert "女童保护课堂" in str(event["SUMMARY"]) and "东河镇中心小学" in str(event["LOCATION"])
    assert "女童保护课堂" not in desc and "东河镇中心小学" not in desc and "时间" not in desc   # said once
    vevent = vobject.readOne(raw.decode("utf-8")).vevent
    assert vevent.dtstart.value == dt.datetime(2027, 3, 2, 6, 30, tzinfo=dt.timezone.utc)
    # a time in words: an all-day event, the words in the description
    words = icalendar.Calendar.from_ical(files["calendars/campaigns/sanba-2027/20270302-chengguan.ics"]).walk("VEVENT")[0]
    assert words.decoded("DTSTART") == dt.date(2027, 3, 2) and "时间：上午" in str(words["DESCRIPTION"])


def test_an_event_alone_at_its_station_opens_the_station_calendar(content):
    """Issue 27: an event whose station has no other event has no file of its own: its 加入日历
    opens the station's calendar, which holds that event alone (same UID); an event at a station
    with more events keeps its own file."""
    from weiquan.site import SiteContext
    from weiquan.site.campaigns import schedule_days
    from weiquan.site.calendars import event_calendar, event_keys

    loaded = load_content(content)
    site = SiteContext(loaded, site_url="https://example.org/")
    files = Calendars(loaded, "https://example.org/").files()
    sanba = next(c for c in loaded.campaigns if c.slug == "sanba-2027")
    links = {row["event"].station: row["ics"] for day in schedule_days(site, sanba, "campaigns/sanba-2027.md")
             for row in day["events"]}
    assert site.station_events["xishan"] == 1 and site.station_events["donghe"] > 1
    assert links["xishan"] == "../../calendars/stations/xishan.ics"
    assert links["donghe"] == "../../calendars/campaigns/sanba-2027/20270302-donghe.ics"
    assert "calendars/campaigns/sanba-2027/20270303-xishan.ics" not in files
    alone = icalendar.Calendar.from_ical(files["calendars/stations/xishan.ics"]).walk("VEVENT")
    assert [str(e["UID"]) for e in alone] == ["20270303-xishan.sanba-2027@example.org"]
    # every link a campaign page has is a file that is written
    for camp in loaded.campaigns:
        for ev, key in zip(camp.events, event_keys(camp)):
            assert event_calendar(camp.slug, key, ev.station, site.station_events) in files, key


def test_calendars_are_kept_between_builds_by_what_decides_them(content, tmp_path, monkeypatch):
    """A rebuild serialises only the calendars whose inputs changed (a national rebuild made all
    44,000 files again: 20 s), and what it writes equals a build without the cache."""
    cache = tmp_path / "cache" / "calendars.pickle"
    made = []
    real = Calendars.vevent
    monkeypatch.setattr(Calendars, "vevent", lambda self, camp, ev, *a: made.append(ev.station) or real(self, camp, ev, *a))

    def build(with_cache=True):
        made.clear()
        return Calendars(load_content(content), "https://example.org/").files(cache if with_cache else None)

    first = build()
    assert made and cache.exists()
    assert build() == first and made == []          # nothing changed: nothing serialised
    edit(content / "stations" / "donghe.yaml", "address: ", "address: 改过的地址，")
    again = build()
    loaded = load_content(content)
    touched = [c for c in loaded.campaigns if any(e.station == "donghe" for e in c.events)]
    assert touched and len(touched) < len(loaded.campaigns)
    assert sorted(made, key=str) == sorted((e.station for c in touched for e in c.events), key=str)
    assert again == build(with_cache=False) != first
    changed = {p for p in again if again[p] != first[p]}
    assert "calendars/stations/donghe.ics" in changed and "calendars/stations/chengguan.ics" not in changed
    assert "改过的地址" in again["calendars/stations/donghe.ics"].decode()
