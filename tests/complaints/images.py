"""Images that test the upload checks: a small PNG claiming huge dimensions, a portrait photo
whose camera stored it on its side (EXIF Orientation)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

ORIENTATION = 0x0112  # EXIF tag; 6 = "rotate 90° clockwise to view"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(width: int = 20_000, height: int = 10_000) -> bytes:
    """A valid black-and-white PNG of ``width``×``height`` pixels, written by hand: its rows of
    zeros compress to a few kilobytes (~24 KB for 20,000×10,000), decoded it would take
    hundreds of megabytes."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then 1 bit per pixel
    squeezer = zlib.compressobj(9)
    pixels = b"".join(squeezer.compress(row) for _ in range(height)) + squeezer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def sideways_jpeg(width: int = 60, height: int = 40) -> bytes:
    """A JPEG stored ``width``×``height`` (landscape) whose EXIF says to turn it a quarter turn
    clockwise to view it (Orientation 6, as phones write portrait photos), with a camera make."""
    image = Image.new("RGB", (width, height), (200, 10, 10))
    image.paste((10, 10, 200), (0, 0, width // 4, height))  # a blue band on the left edge
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "KameraMerek"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue()
