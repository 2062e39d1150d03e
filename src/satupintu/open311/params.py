"""GeoReport v2 arguments: the query of GET requests and the form of POST requests.

"Optional" in the spec means an empty argument is the same as a missing one; arguments the
spec does not define are ignored. A value that cannot be understood is refused with 400 and a
description naming the argument.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import QueryDict
from django.utils.translation import gettext as _

from satupintu.core import moments
from satupintu.domain.lifecycle import Status
from satupintu.open311.present import CLOSED, DESCRIPTION_MAX
from satupintu.open311.selectors import LIMIT, PAGE_SIZE, RequestFilters

#: The spec: a search "may not span more than 90 days"; without dates, the last 90 days.
MAX_SPAN = dt.timedelta(days=90)
TITLE_MAX = 120
MEDIA_URL_MAX = 1000
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


class Refused(Exception):
    """A request the spec answers with an error: HTTP ``status`` and one or more descriptions."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(descriptions[0] if descriptions else "")
        self.status = status
        self.descriptions = descriptions


def value(data: QueryDict, name: str) -> str:
    """An optional argument, stripped ("" when missing or empty)."""
    return (data.get(name) or "").strip()


def comma_list(data: QueryDict, name: str) -> list[str]:
    """A comma-delimited argument, which may also be given several times."""
    items = [part.strip() for raw in data.getlist(name) for part in raw.split(",")]
    return [item for item in items if item]


def _whole(data: QueryDict, name: str, low: int, high: int, default: int) -> int:
    """A whole-number argument between ``low`` and ``high``."""
    text = value(data, name)
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise Refused(
            400,
            _("%(name)s harus bilangan bulat dari %(low)s sampai %(high)s.")
            % {"name": name, "low": low, "high": high},
        )
    return int(text)


def _out_of_range(name: str) -> Refused:
    return Refused(400, _("%(name)s di luar rentang waktu.") % {"name": name})


def moment(data: QueryDict, name: str) -> dt.datetime | None:
    """A date-time argument in UTC (core.moments); None when missing or empty."""
    text = value(data, name)
    if not text:
        return None
    try:
        parsed = moments.parse_utc(text)
    except moments.OutOfRange:
        raise _out_of_range(name) from None
    if parsed is None:
        raise Refused(
            400,
            _(
                "%(name)s harus berupa tanggal dan waktu W3C, misalnya "
                "2010-01-01T00:00:00Z atau 2026-11-30T08:00:00+07:00."
            )
            % {"name": name},
        )
    return parsed


def request_filters(data: QueryDict, *, now: dt.datetime) -> RequestFilters:
    statuses: list[Status] = []
    for word in comma_list(data, "status"):
        if word == "open":
            statuses += [s for s in Status if s not in CLOSED]
        elif word == "closed":
            statuses += sorted(CLOSED)
        else:
            raise Refused(
                400,
                _('status "%(value)s" tidak dikenal; pilih open atau closed.') % {"value": word},
            )
    start, end = moment(data, "start_date"), moment(data, "end_date")
    try:
        if end is None:
            end = now if start is None else moments.shifted(start, MAX_SPAN)
    except moments.OutOfRange:
        raise _out_of_range("start_date") from None
    try:
        if start is None:
            start = moments.shifted(end, -MAX_SPAN)
    except moments.OutOfRange:
        raise _out_of_range("end_date") from None
    if end < start:
        raise Refused(400, _("end_date tidak boleh sebelum start_date."))
    if end - start > MAX_SPAN:
        raise Refused(400, _("Rentang start_date sampai end_date paling lama 90 hari."))
    return RequestFilters(
        page=_whole(data, "page", 1, 10_000, 1),
        page_size=_whole(data, "page_size", 1, LIMIT, PAGE_SIZE),
        service_codes=tuple(comma_list(data, "service_code")),
        statuses=tuple(dict.fromkeys(statuses)),
        start=start,
        end=end,
    )


# --------------------------------------------------------------------------- POST requests


@dataclass
class NewRequest:
    """A POST requests form, in our own words (services.report_receive's arguments)."""

    service_code: str
    title: str
    description: str
    latitude: str = ""
    longitude: str = ""
    address: str = ""
    region_code: str = ""
    name: str = ""
    email: str = ""
    phone: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    confidential: bool = False


#: Our extension to POST requests: ``confidential=true`` files a report whose content the public
#: never sees (domain.md §1.8); federation sends it for confidential reports. Other servers
#: ignore unknown parameters, as the spec asks.
CONFIDENTIAL = {"true": True, "1": True, "false": False, "0": False, "": False}


def confidential(data: QueryDict) -> bool:
    given = value(data, "confidential").lower()
    if given not in CONFIDENTIAL:
        raise Refused(400, _("confidential harus true atau false."))
    return CONFIDENTIAL[given]


def attributes(data: QueryDict) -> dict[str, Any]:
    """``attribute[code]=v`` and ``attribute[code][]=v1&attribute[code][]=v2`` by code."""
    out: dict[str, Any] = {}
    for key in data:
        match = _ATTRIBUTE.match(key)
        if match is None:
            continue
        code, many = match.group(1).strip(), bool(match.group(2))
        values = [v for v in data.getlist(key)]
        if many or len(values) > 1:
            previous = out.get(code, [])
            out[code] = (previous if isinstance(previous, list) else [previous]) + values
        else:
            out[code] = values[0] if values else ""
    return out


def title_from(text: str, fallback: str) -> str:
    """A report title: the description's first line, shortened at a word; else ``fallback``."""
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    if not first:
        return fallback
    if len(first) <= TITLE_MAX:
        return first
    cut = first[: TITLE_MAX - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,.;:") + "…"


def new_request(data: QueryDict, *, service_name: str) -> NewRequest:
    text = (data.get("description") or "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise Refused(
            400,
            _("description paling banyak %(max)s karakter (spesifikasi GeoReport v2).")
            % {"max": DESCRIPTION_MAX},
        )
    lat, lon = value(data, "lat"), value(data, "long")
    address, address_id = value(data, "address_string"), value(data, "address_id")
    if not ((lat and lon) or address or address_id):
        raise Refused(
            400,
            _("Lokasi wajib diisi: lat dan long, atau address_string, atau address_id."),
        )
    media = value(data, "media_url")
    if media:
        try:
            URLValidator(schemes=["http", "https"])(media)
        except ValidationError:
            raise Refused(400, _("media_url harus berupa alamat http atau https.")) from None
        if len(media) > MEDIA_URL_MAX:
            raise Refused(400, _("media_url terlalu panjang."))
    body = text or _("%(service)s (dilaporkan melalui Open311 tanpa uraian).") % {
        "service": service_name
    }
    if media:
        body = f"{body}\n\n{_('Media')}: {media}"
    names = [value(data, "first_name"), value(data, "last_name")]
    return NewRequest(
        service_code=value(data, "service_code"),
        title=title_from(text, service_name),
        description=body,
        latitude=lat,
        longitude=lon,
        address=address,
        region_code=address_id,
        name=" ".join(n for n in names if n),
        email=value(data, "email"),
        phone=value(data, "phone"),
        attributes=attributes(data),
        confidential=confidential(data),
    )


#: Our field names in refusals from the services, as the spec calls them.
SPEC_FIELDS: Mapping[str, str] = {
    "latitude": "lat",
    "longitude": "long",
    "address": "address_string",
    "region_code": "address_id",
    "name": "first_name",
    "title": "description",
    "category": "service_code",
}


def spec_field(name: str) -> str:
    if name.startswith("attributes."):
        return f"attribute[{name.removeprefix('attributes.')}]"
    return SPEC_FIELDS.get(name, name)
