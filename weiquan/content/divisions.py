"""Administrative divisions (province → city → county → township) for station regions."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional

LEVELS = ("省", "市", "县", "乡")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # 省 市 县 乡
    parent: Optional[str]


class Divisions:
    def __init__(self, items: Iterable[Division]):
        self.by_code: dict[str, Division] = {d.code: d for d in items}

    def get(self, code: str) -> Optional[Division]:
        return self.by_code.get(code)

    def chain(self, code: str) -> list[Division]:
        """[province, city, county, (township)] for a county or township code."""
        out, d = [], self.by_code.get(code)
        while d is not None:
            out.append(d)
            d = self.by_code.get(d.parent) if d.parent else None
        return out[::-1]

    def with_extra(self, extra: Iterable[Division]) -> "Divisions":
        merged = Divisions(())
        merged.by_code = {**self.by_code, **{d.code: d for d in extra}}
        return merged


@lru_cache(maxsize=1)
def national() -> Divisions:
    base = resources.files("weiquan") / "data" / "divisions"
    items: list[Division] = []

    def rows(name):
        with (base / name).open(encoding="utf-8") as fh:
            yield from csv.DictReader(fh)

    items += [Division(r["code"], r["name"], "省", None) for r in rows("provinces.csv")]
    items += [Division(r["code"], r["name"], "市", r["provinceCode"]) for r in rows("cities.csv")]
    items += [Division(r["code"], r["name"], "县", r["cityCode"]) for r in rows("areas.csv")]
    items += [Division(r["code"], r["name"], "乡", r["areaCode"]) for r in rows("streets.csv")]
    return Divisions(items)
