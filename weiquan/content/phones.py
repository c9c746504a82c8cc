"""Phone numbers, checked with Google's libphonenumber data (`phonenumbers`): mobiles, landlines
(area code and length), service numbers (110, 12338 …), 400/800 numbers, and the impossible
numbers example entries use (0000-…)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

import phonenumbers
from phonenumbers import PhoneNumberType, shortnumberinfo

_CLEAN = re.compile(r"[\s\-－—()（）]")
_ALLOWED = re.compile(r"^[\d\s\-－—()（）+]+$")
EXAMPLE_RE = re.compile(r"^0000\d{7,8}$")   # area code 0000 does not exist: cannot reach anyone

KINDS = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "landline",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "landline",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.SHARED_COST: "toll_free",   # 400: one national number, caller pays local rate
}
KIND_NAMES = {"mobile": "手机号", "landline": "座机号", "service": "服务号码", "toll_free": "400/800 号码",
              "example": "示例号码"}


def digits(number: str) -> str:
    d = _CLEAN.sub("", str(number))
    return "0" + d[3:] if d.startswith("+86") else d


def tel_uri(number: str) -> str:
    return "tel:" + digits(number)


def is_example(number: str) -> bool:
    """An impossible number (0000-…) for example entries: dialling it reaches no one."""
    return bool(EXAMPLE_RE.match(digits(number)))


@lru_cache(maxsize=4096)
def check(number: str) -> tuple[Optional[str], str]:
    """(kind, "") for a number that can exist, where kind is 'mobile' | 'landline' | 'service' |
    'toll_free' | 'example'; (None, Chinese reason) otherwise."""
    raw = str(number).strip()
    if not raw:
        return None, "电话号码是空的"
    if not _ALLOWED.match(raw) or raw.count("+") > 1 or ("+" in raw and not raw.startswith("+86")):
        return None, "只能写数字，中间可以用空格或短横线分开（如 0571-87654321、138 0013 8000）"
    d = digits(raw)
    if is_example(d):
        return "example", ""
    if len(d) <= 6 and not d.startswith("0"):
        num = phonenumbers.PhoneNumber(country_code=86, national_number=int(d))
        if shortnumberinfo.is_valid_short_number_for_region(num, "CN"):
            return "service", ""
        return None, f"没有“{d}”这个服务号码（如 110、120、12338、12348）"
    try:
        num = phonenumbers.parse(d, "CN")
    except phonenumbers.NumberParseException:
        return None, "不是电话号码"
    if phonenumbers.is_valid_number_for_region(num, "CN"):
        kind = KINDS.get(phonenumbers.number_type(num))
        if kind:
            return kind, ""
    return None, _why_invalid(d)


def classify(number: str) -> Optional[str]:
    """'mobile' | 'landline' | 'service' | 'toll_free' | 'example' | None when it cannot exist."""
    return check(str(number))[0]


def _valid(d: str) -> bool:
    try:
        return phonenumbers.is_valid_number_for_region(phonenumbers.parse(d, "CN"), "CN")
    except phonenumbers.NumberParseException:
        return False


def _why_invalid(d: str) -> str:
    if d.startswith("1"):
        if len(d) != 11:
            return f"手机号应为 11 位，这里是 {len(d)} 位"
        return f"没有以 {d[:3]} 开头的手机号段"
    if d.startswith(("400", "800")):
        return "400/800 号码应为 10 位（如 400-123-4567）"
    if d.startswith("0000"):
        return f"示例号码应写成 0000- 加 7 或 8 位数字（如 0000-0000101），这里 0000 后面是 {len(d) - 4} 位"
    if not d.startswith("0"):
        return "座机号码要带区号（如 0571-87654321）；手机号以 1 开头，共 11 位"
    for area_len in (3, 4):
        area, local = d[:area_len], d[area_len:]
        first = local[:1] if local[:1] in "2345678" else "6"
        samples = {n: area + first + "5" * (n - 1) for n in (7, 8)}
        lengths = [n for n, sample in samples.items() if _valid(sample) and phonenumbers.length_of_geographical_area_code(
            phonenumbers.parse(sample, "CN")) == area_len - 1]
        if lengths:
            from phonenumbers import geocoder   # (0.5 s of place names: only for this message)
            place = geocoder.description_for_number(phonenumbers.parse(samples[lengths[0]], "CN"), "zh")
            where = f"（{place}）" if place else ""
            want = "或".join(str(n) for n in lengths)
            if len(local) not in lengths:
                return f"区号 {area}{where}后面的号码应为 {want} 位，这里是 {len(local)} 位"
            return f"区号 {area}{where}没有以 {local[:1]} 开头的号码"
    return f"没有“{d[:4]}”这个区号"


def explain(number: str) -> str:
    """Chinese reason a number cannot exist ('' when it can)."""
    return check(str(number))[1]
