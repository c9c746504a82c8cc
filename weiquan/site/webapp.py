"""Installable web app: the home-screen icons, drawn here in pure Python (no image library,
no download). The icons are committed under overrides/assets/images/; redraw them with

    python -m weiquan.webapp overrides/assets/images
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

PURPLE = (0x4A, 0x14, 0x8C)
WHITE = (0xFF, 0xFF, 0xFF)
SIZES = (192, 512)


def _png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def icon_png(size: int) -> bytes:
    """A white heart on deep purple, full bleed (safe as a 'maskable' icon: the heart stays
    inside the central 60 %)."""
    ss = 3  # supersampling for smooth edges
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            inside = 0
            for sy in range(ss):
                for sx in range(ss):
                    # map to heart coordinates: x, y in about [-1.5, 1.5], y up
                    x = ((px + (sx + .5) / ss) / size - .5) * 3.4
                    y = -((py + (sy + .5) / ss) / size - .52) * 3.4
                    if (x * x + y * y - 1) ** 3 - x * x * y ** 3 <= 0:
                        inside += 1
            a = inside / (ss * ss)
            row += bytes(round(PURPLE[i] * (1 - a) + WHITE[i] * a) for i in range(3))
        rows.append(bytes(row))
    return _png(size, size, rows)


def write_icons(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for size in SIZES:
        p = out_dir / f"wq-icon-{size}.png"
        p.write_bytes(icon_png(size))
        paths.append(p)
    return paths


if __name__ == "__main__":  # pragma: no cover - developer helper
    for p in write_icons(Path(sys.argv[1] if len(sys.argv) > 1 else "overrides/assets/images")):
        print(p)
