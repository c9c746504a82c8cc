"""The build's "today": the day in China (Asia/Shanghai, where the events are and where the
client script decides again), or the day of SOURCE_DATE_EPOCH for reproducible builds. Decides
which law version is in force, which events are upcoming, a yearly campaign's next dates and the
date printed on leaflets."""

from __future__ import annotations

import datetime as dt
import os
from typing import Optional
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def epoch_date() -> Optional[dt.date]:
    """The day of SOURCE_DATE_EPOCH in China; None when it is not set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), TZ).date() if epoch else None


def today() -> dt.date:
    return epoch_date() or dt.datetime.now(TZ).date()
