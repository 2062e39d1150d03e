"""Checking and cleaning uploaded files before they are stored.

The type is decided by the file's content (its first bytes), never by its name or the browser's
claim. JPEG and PNG images are decoded and re-encoded, which drops every metadata block (EXIF
with GPS position, camera serials, XMP) and rejects files that only pretend to be images; the
EXIF orientation is applied to the pixels first, so a portrait photo stays upright. An image whose
header declares more than MAX_PIXELS pixels is refused before any pixel is decoded.

Every refusal names the file, in the language of the request (gettext, Indonesian msgids).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageFile, ImageOps, JpegImagePlugin, PngImagePlugin

from satupintu.core.errors import InvalidInput
from satupintu.core.models import StoredFile

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


Stored = TypeVar("Stored", bound=StoredFile)


def keep(row: Stored, clean: CleanFile, *, by: Any, at: dt.datetime) -> Stored:
    """Store ``clean`` as ``row`` (a new attachment or piece of evidence, its links set): the
    file under the row's own path (which needs the hash and extension), then the row."""
    row.original_name = clean.name
    row.content_type = clean.content_type
    row.extension = clean.extension
    row.size = len(clean.content)
    row.sha256 = clean.sha256
    row.uploaded_by = by
    row.uploaded_at = at
    row.file.save(clean.name, ContentFile(clean.content), save=False)  # type: ignore[attr-defined]
    row.save(force_insert=True)
    return row


def limits() -> tuple[int, int]:
    """(max files per upload, max bytes per file), from settings."""
    return settings.ATTACHMENT_MAX_FILES, settings.ATTACHMENT_MAX_BYTES


def size_text(size: int) -> str:
    """A byte limit as people read it: "5 MB" for whole megabytes, else Django's size format."""
    mb = 1024 * 1024
    if size >= mb and size % mb == 0:
        return f"{size // mb} MB"
    return str(filesizeformat(size)).replace("\xa0", " ")


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


#: The decoder of each image type we accept, called directly: ``Image.open`` would try every
#: format Pillow knows and, before we could look at the size, raise or warn about a
#: decompression bomb with Pillow's own limit (an error page instead of a refusal).
DECODERS: dict[str, type[ImageFile.ImageFile]] = {
    "image/jpeg": JpegImagePlugin.JpegImageFile,
    "image/png": PngImagePlugin.PngImageFile,
}


def _too_big(name: str, width: int, height: int) -> InvalidInput:
    values = {
        "name": name,
        "width": width,
        "height": height,
        "max": MAX_PIXELS // 1_000_000,
    }
    return InvalidInput(
        _(
            "%(name)s: gambar terlalu besar (%(width)s×%(height)s piksel); "
            "paling banyak %(max)s juta piksel."
        )
        % values,
        fields={"attachments": _("%(name)s: gambar terlalu besar.") % values},
    )


def _unreadable(name: str) -> InvalidInput:
    return InvalidInput(
        _("%(name)s: berkas ini rusak atau bukan gambar yang dapat dibaca.") % {"name": name},
        fields={"attachments": _("%(name)s: gambar rusak atau tidak terbaca.") % {"name": name}},
    )


def open_image(data: bytes, content_type: str, name: str) -> Image.Image:
    """The one place an upload is opened as an image, decoded as the type its first bytes
    name (JPEG or PNG), its pixels read only once its declared size is within MAX_PIXELS, and
    turned the way its EXIF orientation says (a phone stores a portrait photo on its side)."""
    try:
        image = DECODERS[content_type](io.BytesIO(data))
    except (OSError, SyntaxError, ValueError) as exc:
        raise _unreadable(name) from exc
    try:
        if image.width * image.height > MAX_PIXELS:
            raise _too_big(name, image.width, image.height)
        image.load()
        return ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError) as exc:
        raise _unreadable(name) from exc
    finally:
        image.close()


def _strip_image(data: bytes, content_type: str, name: str) -> bytes:
    """The image re-encoded from its pixels alone: no metadata block survives."""
    image = open_image(data, content_type, name)
    out = io.BytesIO()
    try:
        if content_type == "image/jpeg":
            rgb = image.convert("RGB") if image.mode not in ("RGB", "L") else image
            rgb.save(out, format="JPEG", quality=88, optimize=True)
        else:
            image.save(out, format="PNG", optimize=True)
    except (OSError, ValueError) as exc:
        raise _unreadable(name) from exc
    return out.getvalue()


def clean_files(files: list[tuple[str, IO[bytes]]]) -> list[CleanFile]:
    """Validate and clean ``(name, stream)`` pairs; raises InvalidInput naming the bad file."""
    max_files, max_bytes = limits()
    if len(files) > max_files:
        counts = {"max": max_files, "count": len(files)}
        raise InvalidInput(
            ngettext(
                "Paling banyak %(max)s berkas sekali unggah; Anda memilih %(count)s berkas.",
                "Paling banyak %(max)s berkas sekali unggah; Anda memilih %(count)s berkas.",
                max_files,
            )
            % counts,
            fields={
                "attachments": ngettext(
                    "Paling banyak %(max)s berkas.", "Paling banyak %(max)s berkas.", max_files
                )
                % counts
            },
        )
    cleaned = []
    for raw_name, stream in files:
        name = (raw_name or "berkas").replace("/", "_").replace("\\", "_")[-150:]
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            values = {"name": name, "size": size_text(max_bytes)}
            raise InvalidInput(
                _("%(name)s: ukuran berkas melebihi batas %(size)s.") % values,
                fields={"attachments": _("%(name)s: lebih dari %(size)s.") % values},
            )
        if not data:
            raise InvalidInput(
                _("%(name)s: berkas ini kosong.") % {"name": name},
                fields={"attachments": _("%(name)s: berkas kosong.") % {"name": name}},
            )
        kind = sniff(data[:16])
        if kind is None:
            raise InvalidInput(
                _("%(name)s: hanya berkas JPEG, PNG, atau PDF yang diterima.") % {"name": name},
                fields={"attachments": _("%(name)s: hanya JPEG, PNG, atau PDF.") % {"name": name}},
            )
        content_type, extension = kind
        if content_type.startswith("image/"):
            data = _strip_image(data, content_type, name)
        cleaned.append(CleanFile(name, data, content_type, extension))
    return cleaned
