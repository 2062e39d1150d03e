"""Checking and cleaning uploaded files before they are stored.

The type is decided by the file's content (its first bytes), never by its name or the browser's
claim. JPEG and PNG images are decoded and re-encoded, which drops every metadata block (EXIF
with GPS position, camera serials, XMP) and rejects files that only pretend to be images.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from satupintu.core.errors import InvalidInput

SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded


@dataclass(frozen=True)
class CleanFile:
    name: str
    content: bytes
    content_type: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def limits() -> tuple[int, int]:
    """(max files per upload, max bytes per file), from settings."""
    return settings.ATTACHMENT_MAX_FILES, settings.ATTACHMENT_MAX_BYTES


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def _strip_image(data: bytes, content_type: str, name: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise InvalidInput(
                    f"{name}: the image is too large ({image.width}×{image.height} pixels)",
                    fields={"attachments": "Gambar terlalu besar."},
                )
            image.load()
            out = io.BytesIO()
            if content_type == "image/jpeg":
                rgb = image.convert("RGB") if image.mode not in ("RGB", "L") else image
                rgb.save(out, format="JPEG", quality=88, optimize=True)
            else:
                image.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(
            f"{name}: the file is not a readable image",
            fields={"attachments": "Berkas gambar rusak atau bukan gambar."},
        ) from exc


def clean_files(files: list[tuple[str, IO[bytes]]]) -> list[CleanFile]:
    """Validate and clean ``(name, stream)`` pairs; raises InvalidInput naming the bad file."""
    max_files, max_bytes = limits()
    if len(files) > max_files:
        raise InvalidInput(
            f"at most {max_files} attachments per upload ({len(files)} given)",
            fields={"attachments": f"Paling banyak {max_files} berkas."},
        )
    cleaned = []
    for raw_name, stream in files:
        name = (raw_name or "berkas").replace("/", "_").replace("\\", "_")[-150:]
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InvalidInput(
                f"{name}: larger than {max_bytes // (1024 * 1024)} MB",
                fields={"attachments": f"{name}: lebih dari {max_bytes // (1024 * 1024)} MB."},
            )
        if not data:
            raise InvalidInput(
                f"{name}: the file is empty", fields={"attachments": "Berkas kosong."}
            )
        kind = sniff(data[:16])
        if kind is None:
            raise InvalidInput(
                f"{name}: only JPEG, PNG or PDF files are accepted",
                fields={"attachments": f"{name}: hanya JPEG, PNG, atau PDF."},
            )
        content_type, extension = kind
        if content_type.startswith("image/"):
            data = _strip_image(data, content_type, name)
        cleaned.append(CleanFile(name, data, content_type, extension))
    return cleaned
