#!/usr/bin/env python3
"""Render the one icon source, resources/vidu-desktop.svg, into what each platform wants.

    python packaging/render_icons.py OUT_DIR

writes OUT_DIR/hicolor/<N>x<N>/apps/vidu-desktop.png (Linux), OUT_DIR/vidu-desktop.ico (Windows)
and OUT_DIR/vidu-desktop.icns (macOS). Derived files are made at build time, never committed,
so they cannot drift from the SVG. Qt draws the pixels (PySide6 is already a build dependency);
the .ico and .icns containers are written here because both simply hold PNG images.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

SVG = Path(__file__).resolve().parent.parent / "resources" / "vidu-desktop.svg"
NAME = "vidu-desktop"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that hold PNG data, by pixel size (the @2x types reuse the same pixels).
ICNS_TYPES = ((b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
              (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
              (b"ic14", 512))


def render_png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # typed as bytes; only str works
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR + one ICONDIRENTRY per size + PNG payloads (PNG entries: Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    offset = len(header) + 16 * len(ICO_SIZES)
    entries, payload = b"", b""
    for size in ICO_SIZES:
        png = pngs[size]
        # A width/height byte of 0 means 256.
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset)
        payload += png
        offset += len(png)
    return header + entries + payload


def icns(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                    for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication(["render_icons", "-platform", "offscreen"])  # QPainter needs one
    pngs = {size: render_png(size) for size in sorted({*HICOLOR_SIZES, *ICO_SIZES, 1024})}
    for size in HICOLOR_SIZES:
        target = out / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
    (out / f"{NAME}.ico").write_bytes(ico(pngs))
    (out / f"{NAME}.icns").write_bytes(icns(pngs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
