"""Dates written the Chinese way: 2027年3月1日, 2027年3月1日至3月8日 (site pages, leaflets;
wq-campaigns.js writes ranges the same way)."""

from __future__ import annotations

import datetime as dt


def cn_date(d: dt.date | None, year: bool = True) -> str:
    """2027年3月1日 (year=False: 3月1日); '' for None."""
    if d is None:
        return ""
    return (f"{d.year}年" if year else "") + f"{d.month}月{d.day}日"


def cn_range(start: dt.date, end: dt.date) -> str:
    """2027年3月1日至3月8日; the end's year only when it differs; one day as one date."""
    if start == end:
        return cn_date(start)
    return f"{cn_date(start)}至{cn_date(end, year=end.year != start.year)}"
