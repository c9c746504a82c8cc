"""When a campaign takes place: its written schedule and the occurrences of its yearly rule.

The one definition for the campaign pages and list, the home page, the calendars and the
leaflets. A page carries the answer for the build date plus the data to decide again: the
written schedule's dates and the rule's next occurrences (``client_occurrences``), so
wq-campaigns.js only compares the reader's date with dates it is given.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Iterator, NamedTuple, Optional

from weiquan.content.model import Campaign, YearlyRule
from weiquan.zh.dates import cn_range

CLIENT_YEARS = 6   # occurrences a page lists for the client script (a page read years after its build)


class Span(NamedTuple):
    start: dt.date
    end: dt.date

    def text(self) -> str:
        """2027年12月25日至2028年1月5日."""
        return cn_range(self.start, self.end)

    def iso(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def _day(year: int, month_day: str) -> dt.date:
    month, day = (int(x) for x in month_day.split("-"))
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))   # 02-29 → 02-28


def rule_span(rule: YearlyRule, year: int) -> Span:
    """The rule's dates starting in ``year``; an end before the start is in the next year
    (12-25 to 01-05)."""
    start, end = _day(year, rule.start), _day(year, rule.end)
    return Span(start, end if end >= start else _day(year + 1, rule.end))


def first_year(camp: Campaign) -> Optional[int]:
    """The year a campaign file is about: its start, its year, else its first event's."""
    if camp.start:
        return camp.start.year
    return camp.year or (min(e.date for e in camp.events).year if camp.events else None)


def written_schedule(camp: Campaign) -> Optional[Span]:
    """The dates the file gives: start/end, else the rule in the campaign's (or its first event's)
    year, stretched to the last event. None for a bare yearly rule."""
    if camp.start and camp.end:
        span = Span(camp.start, camp.end)
    elif camp.yearly and first_year(camp) is not None:
        span = rule_span(camp.yearly, first_year(camp))
    else:
        return None
    last = max((e.date for e in camp.events), default=span.end)
    return Span(span.start, max(span.end, last))


def occurrences(camp: Campaign, from_year: int) -> Iterator[Span]:
    """The yearly rule's occurrences after the written schedule, from ``from_year`` on (endless)."""
    if not camp.yearly:
        return
    sched = written_schedule(camp)
    year = max(from_year, sched.end.year if sched else from_year)
    while True:
        span = rule_span(camp.yearly, year)
        if sched is None or span.start > sched.end:
            yield span
        year += 1


def next_occurrence(camp: Campaign, today: dt.date) -> Optional[Span]:
    """For a yearly campaign whose written schedule is over (or that has none): the first
    occurrence of its rule after the schedule that has not ended by today."""
    sched = written_schedule(camp)
    if not camp.yearly or (sched is not None and today <= sched.end):
        return None
    return next(s for s in occurrences(camp, today.year - 1) if s.end >= today)


def client_occurrences(camp: Campaign, today: dt.date, years: int = CLIENT_YEARS) -> list[Span]:
    """The occurrences not over by the build date, for the client script to choose from on the
    reader's date."""
    if not camp.yearly:
        return []
    found = (s for s in occurrences(camp, today.year - 1) if s.end >= today)
    return [next(found) for _ in range(years)]


def shown_dates(camp: Campaign, today: dt.date) -> Span:
    """The dates a campaign is listed and headed with: its written schedule, else its rule's
    current or next occurrence."""
    return written_schedule(camp) or next_occurrence(camp, today)


def period(camp: Campaign) -> Optional[Span]:
    """The campaign period in its calendar: the rule in the campaign's year (repeated yearly),
    else start/end."""
    if camp.yearly:
        year = first_year(camp)
        return rule_span(camp.yearly, year) if year is not None else None
    return Span(camp.start, camp.end)


def when(day: dt.date, today: dt.date) -> str:
    """An event's state on a day: past, today or upcoming."""
    return "past" if day < today else "today" if day == today else "upcoming"


def rule_text(rule: YearlyRule) -> str:
    """每年12月25日至1月5日 (leaflets of a campaign without written dates)."""
    start, end = _day(2000, rule.start), _day(2000, rule.end)
    return f"每年{start.month}月{start.day}日至{end.month}月{end.day}日"
