"""Calendar files (RFC 5545 .ics) for campaigns, their events and stations, made with `icalendar`.

    calendars/campaigns/{campaign}.ics          every event of a campaign (+ its yearly period)
    calendars/campaigns/{campaign}/{key}.ics    one event (not written when its station has no other:
                                                its 加入日历 opens the station's file, see event_calendar)
    calendars/stations/{station}.ics            every event at a station, across campaigns

Times are written in UTC (DTSTART:20270301T010000Z for 09:00 in China, RFC 5545 3.3.5 form 2):
every calendar shows them in the phone's own time zone, and no VTIMEZONE block is needed (one
would be ~300 bytes in each of a national site's ~86,000 files). A file holds only what a reader
or a calendar needs: properties with their default value (CALSCALE:GREGORIAN, TRANSP:OPAQUE) and
copies (LAST-MODIFIED = DTSTAMP; the DESCRIPTION does not repeat SUMMARY, LOCATION or the time
DTSTART already gives) are left out; the description keeps the organiser, the station's phones
and address, the emergency numbers and the page's address. UIDs come from the campaign slug
and the event key (``Event.key``, or date + station/place), so importing a file again updates the
events instead of adding them twice. DTSTAMP is the campaign's ``updated`` date (or its file's
modification day), never the build time: rebuilding unchanged content gives identical files.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from pathlib import Path
from urllib.parse import urlparse

import icalendar

from weiquan.content import campaigns
from weiquan.content.dates import TZ, epoch_date
from weiquan.content.library import Content
from weiquan.content.model import Campaign, Event, Station

PRODID = "-//weiquan//weiquan calendars//ZH"
_TIME = re.compile(r"(\d{1,2})[:：](\d{2})")


def campaign_ics_path(slug: str) -> str:
    return f"calendars/campaigns/{slug}.ics"


def event_ics_path(camp_slug: str, key: str) -> str:
    return f"calendars/campaigns/{camp_slug}/{key}.ics"


def station_ics_path(slug: str) -> str:
    return f"calendars/stations/{slug}.ics"


def events_by_station(content: Content) -> dict[str, list[tuple[Campaign, Event, str]]]:
    """Station slug -> the events its calendar file holds, with their keys (events at a known
    station, across campaigns); a station without events has no file."""
    out: dict[str, list[tuple[Campaign, Event, str]]] = {}
    for camp in content.campaigns:
        for ev, key in zip(camp.events, event_keys(camp)):
            if ev.station in content.station_by_slug:
                out.setdefault(ev.station, []).append((camp, ev, key))
    return out


def station_event_counts(content: Content, by_station: dict | None = None) -> dict[str, int]:
    """Station slug -> how many events its calendar file holds (see events_by_station)."""
    return {slug: len(events) for slug, events in (by_station or events_by_station(content)).items()}


def event_calendar(camp_slug: str, key: str, station: str | None, station_events: dict[str, int]) -> str:
    """The file an event's 加入日历 opens: its station's calendar when that holds this event alone
    (the same event with the same UID: one file, not two alike), else the event's own file.
    ``station_events``: station slug -> its events (SiteContext.station_events)."""
    if station and station_events.get(station) == 1:
        return station_ics_path(station)
    return event_ics_path(camp_slug, key)


def event_keys(camp: Campaign) -> list[str]:
    """A stable key per event, in the order of camp.events: Event.key, else
    {yyyymmdd}-{station slug | hash of the place}, numbered when the same key repeats."""
    out, seen = [], {}
    explicit = {e.key for e in camp.events if e.key}
    for ev in camp.events:
        if ev.key:
            out.append(ev.key)
            continue
        base = f"{ev.date:%Y%m%d}-" + (ev.station or hashlib.sha1(ev.place.encode()).hexdigest()[:8])
        n = seen.get(base, 0) + 1
        seen[base] = n
        key = base if n == 1 else f"{base}-{n}"
        while key in explicit:
            key += "-x"
        out.append(key)
    return out


def parse_time(text: str | None) -> tuple[dt.time | None, dt.time | None]:
    """'09:00—11:30' -> (9:00, 11:30); '9:30' -> (9:30, None); None or no time -> (None, None)."""
    found = [dt.time(int(h), int(m)) for h, m in _TIME.findall(text or "") if int(h) < 24 and int(m) < 60]
    if not found:
        return None, None
    return found[0], (found[1] if len(found) > 1 and found[1] > found[0] else None)


def _stamp(content: Content, camp: Campaign) -> dt.datetime:
    """The campaign's ``updated`` day, else SOURCE_DATE_EPOCH's, else its file's modification day."""
    day = camp.updated or epoch_date()
    if day is None:
        src = content.source(camp)
        path = src.path if src is not None else Path(content.root) / "campaigns" / f"{camp.slug}.yaml"
        try:
            day = dt.datetime.fromtimestamp(Path(path).stat().st_mtime, dt.timezone.utc).date()
        except OSError:
            day = camp.start or dt.date(camp.year or 2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _uid_host(site_url: str) -> str:
    return urlparse(site_url).hostname or "weiquan.invalid"


def _calendar(name: str, description: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    # X- properties are untyped to the library: give them as TEXT so they are escaped and folded
    cal.add("x-wr-calname", icalendar.vText(name))
    if description:
        cal.add("x-wr-caldesc", icalendar.vText(description))
    return cal


_END = b"END:VCALENDAR\r\n"


@functools.lru_cache(maxsize=4096)
def _head(name: str, description: str) -> bytes:
    """A calendar's own lines (the events of a campaign share their files' name)."""
    head = _calendar(name, description).to_ical()
    assert head.endswith(_END)
    return head[:-len(_END)]


def _finish(name: str, description: str, events: list[bytes]) -> bytes:
    """The calendar with its events (each already serialised: an event is in its campaign's, its
    own and its station's file)."""
    return _head(name, description) + b"".join(events) + _END


def _utc(day: dt.date, time: dt.time) -> dt.datetime:
    """A local time in China as UTC (written with Z)."""
    return dt.datetime.combine(day, time, TZ).astimezone(dt.timezone.utc)


class Calendars:
    """Builds the .ics files of one site. ``page_url(path)`` gives the absolute URL of a site
    path for the events' URL property ('' without a site_url: the property is left out)."""

    def __init__(self, content: Content, site_url: str = "", station_page=None, campaign_page=None):
        self.content = content
        self._events: dict[tuple[str, str], bytes] = {}   # (campaign slug, event key) -> VEVENT
        self.site_url = site_url
        self.host = _uid_host(site_url)
        self.station_page = station_page or (lambda st: "")
        self.campaign_page = campaign_page or (lambda camp: "")
        self.hotlines = "；".join(f"{h.label} {h.number}" for h in content.settings.hotlines[:2])

    def _abs(self, path: str) -> str:
        return (self.site_url.rstrip("/") + "/" + path.lstrip("/")) if self.site_url and path else ""

    def uid(self, camp: Campaign, key: str) -> str:
        return f"{key}.{camp.slug}@{self.host}"

    def vevent(self, camp: Campaign, ev: Event, key: str, stamp: dt.datetime) -> icalendar.Event:
        st: Station | None = self.content.station_by_slug.get(ev.station) if ev.station else None
        e = icalendar.Event()
        e.add("uid", self.uid(camp, key))
        e.add("dtstamp", stamp)
        start, end = parse_time(ev.time)
        if start is None:
            e.add("dtstart", ev.date)
            e.add("dtend", ev.date + dt.timedelta(days=1))
        else:
            e.add("dtstart", _utc(ev.date, start))
            if end is not None:
                e.add("dtend", _utc(ev.date, end))
        e.add("summary", f"{ev.activity}（{camp.name}）")
        e.add("location", ev.place + (f"（{st.name}）" if st else ""))
        # the activity, place and a time DTSTART holds are the event's SUMMARY, LOCATION and DTSTART
        lines = [f"时间：{ev.time}"] if ev.time and start is None else []
        lines.append(f"主办：{ev.organiser}")
        if st is not None:
            lines.append(f"服务站：{st.name}，" + "，".join(f"{p.label} {p.number}" for p in st.phones))
            lines.append(f"服务站地址：{st.address}")
        if camp.theme:
            lines.append(f"主题：{camp.theme}")
        lines.append(f"紧急求助：{self.hotlines}")
        url = self._abs(self.campaign_page(camp))
        if url:
            lines.append(f"活动页面：{url}")
            e.add("url", url)
        e.add("description", "\n".join(lines))
        # ORGANIZER needs a mailto: address, which content does not have: it is named in the description
        e.add("categories", [camp.name])
        return e

    def period(self, camp: Campaign, stamp: dt.datetime) -> icalendar.Event | None:
        """The campaign period as an all-day event; yearly campaigns repeat it every year (UID
        from the name and rule, so next year's campaign file updates the same entry)."""
        span = campaigns.period(camp)
        if span is None:
            return None
        start, end = span
        e = icalendar.Event()
        if camp.yearly:
            digest = hashlib.sha1(f"{camp.name}|{camp.yearly.start}|{camp.yearly.end}".encode()).hexdigest()[:12]
            e.add("uid", f"yearly-{digest}@{self.host}")
            e.add("rrule", {"freq": "yearly"})
        else:
            e.add("uid", self.uid(camp, "period"))
        e.add("dtstamp", stamp)
        e.add("dtstart", start)
        e.add("dtend", end + dt.timedelta(days=1))
        e.add("summary", camp.name + ("（每年）" if camp.yearly else ""))
        desc = [camp.theme and f"主题：{camp.theme}", camp.description.strip() or None,
                f"紧急求助：{self.hotlines}"]
        url = self._abs(self.campaign_page(camp))
        if url:
            desc.append(f"活动页面：{url}")
            e.add("url", url)
        e.add("description", "\n\n".join(d for d in desc if d))
        e.add("transp", "TRANSPARENT")
        return e

    def _vevent_ical(self, camp: Campaign, ev: Event, key: str, stamp: dt.datetime | None = None) -> bytes:
        done = self._events.get((camp.slug, key))
        if done is None:
            done = self._events[(camp.slug, key)] = self.vevent(
                camp, ev, key, stamp or _stamp(self.content, camp)).to_ical()
        return done

    def campaign(self, camp: Campaign) -> bytes:
        stamp = _stamp(self.content, camp)
        period = self.period(camp, stamp)
        events = [period.to_ical()] if period is not None else []
        for ev, key in sorted(zip(camp.events, event_keys(camp)), key=lambda p: (p[0].date, str(p[0].time or ""))):
            events.append(self._vevent_ical(camp, ev, key, stamp))
        return _finish(camp.name, camp.theme or "", events)

    def event(self, camp: Campaign, ev: Event, key: str) -> bytes:
        return _finish(f"{camp.name}：{ev.activity}", "", [self._vevent_ical(camp, ev, key)])

    def station(self, st: Station, events: list[tuple[Campaign, Event, str]]) -> bytes:
        return _finish(f"{st.name} 活动", "", [self._vevent_ical(camp, ev, key) for camp, ev, key in _in_order(events)])

    def files(self, cache_file: Path | None = None) -> dict[str, bytes]:
        """{site path: bytes} of every calendar file. ``cache_file``: where the files of each
        campaign (and its events) and of each station are kept between builds, keyed by what
        decides them, so a rebuild serialises only what changed."""
        cache = _CalendarCache(cache_file, self)
        out: dict[str, bytes] = {}
        keyed = [(camp, list(zip(camp.events, event_keys(camp)))) for camp in self.content.campaigns]
        by_station = events_by_station(self.content)
        counts = station_event_counts(self.content, by_station)
        for camp, events in keyed:
            def make(camp=camp, events=events) -> tuple[dict[str, bytes], dict[str, bytes]]:
                files = {campaign_ics_path(camp.slug): self.campaign(camp)}
                for ev, key in events:
                    path = event_calendar(camp.slug, key, ev.station, counts)
                    if path == event_ics_path(camp.slug, key):
                        files[path] = self.event(camp, ev, key)
                return files, {key: self._vevent_ical(camp, ev, key) for ev, key in events}
            files, vevents = cache.campaign(camp, events, counts, make)
            out.update(files)
            for key, ical in vevents.items():
                self._events[(camp.slug, key)] = ical
        for slug, events in by_station.items():
            st = self.content.station_by_slug[slug]
            out[station_ics_path(slug)] = cache.station(st, [self._vevent_ical(camp, ev, key) for camp, ev, key in
                                                             _in_order(events)], lambda: self.station(st, events))
        cache.save()
        return out


def _in_order(events: list[tuple[Campaign, Event, str]]) -> list[tuple[Campaign, Event, str]]:
    return sorted(events, key=lambda t: (t[1].date, str(t[1].time or ""), t[0].slug))


class _CalendarCache:
    """The calendar files of the last build, under keys of what decides them: a campaign's (its
    data, its file day, its page, the stations of its events, whether those have other events),
    a station's (its name and its events' serialised lines). The salt holds this code, the
    icalendar version, the site URL and the hotlines."""

    def __init__(self, path: Path | None, cals: "Calendars"):
        import json

        from weiquan.content.digest import code_digest
        self.path, self.cals = path, cals
        self.salt = code_digest(files=(__file__,), dists=("icalendar",),
                                extra=json.dumps([cals.site_url, cals.hotlines], ensure_ascii=False))
        self.old: dict = {}
        self.new: dict = {}
        if path is not None:
            try:
                import pickle
                stored = pickle.loads(Path(path).read_bytes())
                if stored.get("salt") == self.salt:
                    self.old = stored["entries"]
            except Exception:  # missing or unreadable: make every file
                pass

    def _get(self, key: str, make):
        value = self.old.get(key)
        if value is None:
            value = make()
        self.new[key] = value
        return value

    def campaign(self, camp: Campaign, events, counts: dict[str, int], make):
        if self.path is None:
            return make()
        h = hashlib.sha1(camp.model_dump_json().encode())
        h.update(_stamp(self.cals.content, camp).isoformat().encode())
        h.update(self.cals.campaign_page(camp).encode())
        for ev, _ in events:
            st = self.cals.content.station_by_slug.get(ev.station) if ev.station else None
            if st is not None:
                h.update(f"\0{counts.get(st.slug, 0)}".encode() + st.model_dump_json().encode())
        return self._get("c" + h.hexdigest(), make)

    def station(self, st: Station, vevents: list[bytes], make) -> bytes:
        if self.path is None:
            return make()
        h = hashlib.sha1(st.name.encode())
        for v in vevents:
            h.update(b"\0" + v)
        return self._get("s" + h.hexdigest(), make)

    def save(self) -> None:
        if self.path is None or self.new.keys() == self.old.keys():
            return
        import pickle

        from weiquan.content.digest import keep_file
        keep_file(self.path, pickle.dumps({"salt": self.salt, "entries": self.new}, protocol=pickle.HIGHEST_PROTOCOL))


def site_calendars(site) -> Calendars:
    """The calendars of a SiteContext (event URLs point at its campaign pages)."""
    from weiquan.content.urls import campaign_src
    return Calendars(site.content, site.site_url, campaign_page=lambda camp: site.urls.url(campaign_src(camp.slug)))
