#!/usr/bin/env python3
"""Packs rendered PNGs into resources/windows/redwire.ico and resources/macos/redwire.icns.

Usage: make-icon-containers.py <png-dir> <out.ico> <out.icns>
<png-dir> holds redwire-<N>.png for N in 16 24 32 48 64 128 256 512 1024.
Both containers hold PNG-compressed images (Windows Vista and later, macOS 10.7 and later).
Standard library only; called by render-icons.sh, never by the build.
"""
import struct
import sys
from pathlib import Path


def png(png_dir: Path, size: int) -> bytes:
    data = (png_dir / f"redwire-{size}.png").read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"not a PNG: redwire-{size}.png")
    width, height = struct.unpack(">II", data[16:24])
    if (width, height) != (size, size):
        sys.exit(f"redwire-{size}.png is {width}x{height}")
    return data


def write_ico(png_dir: Path, out: Path) -> None:
    sizes = [16, 24, 32, 48, 64, 128, 256]
    images = [png(png_dir, s) for s in sizes]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, data in zip(sizes, images):
        dim = 0 if size == 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    out.write_bytes(header + entries + blobs)


def write_icns(png_dir: Path, out: Path) -> None:
    # (type, pixel size): 1x and 2x variants, all PNG-compressed.
    types = [(b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
             (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
             (b"ic14", 512)]
    body = b""
    for kind, size in types:
        data = png(png_dir, size)
        body += kind + struct.pack(">I", 8 + len(data)) + data
    out.write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    directory = Path(sys.argv[1])
    write_ico(directory, Path(sys.argv[2]))
    write_icns(directory, Path(sys.argv[3]))
