"""Phone numbers: mobile, landline with area code, short service numbers."""

from __future__ import annotations

import re

_CLEAN = re.compile(r"[\s\-－—()（）]")
PATTERNS = {
    "mobile": re.compile(r"^1[3-9]\d{9}$"),
    "landline": re.compile(r"^0\d{2,3}\d{7,8}$"),
    "service": re.compile(r"^(?:1\d{2}|12\d{3}|95\d{3,4}|96\d{3,4})$"),
    "toll_free": re.compile(r"^(?:400|800)\d{7}$"),
}


def digits(number: str) -> str:
    return _CLEAN.sub("", str(number))


def classify(number: str) -> str | None:
    """'mobile' | 'landline' | 'service' | 'toll_free' | None when malformed."""
    raw = str(number).strip()
    if re.search(r"[^\d\s\-－—()（）]", raw):
        return None
    d = digits(raw)
    for kind, pattern in PATTERNS.items():
        if pattern.match(d):
            return kind
    return None


def tel_uri(number: str) -> str:
    return "tel:" + digits(number)
