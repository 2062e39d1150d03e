"""The shapes of API v1 requests and answers (its OpenAPI schema is generated from these).

Our own vocabulary: ``disposisi`` hops are ``dispositions``, ``tindak lanjut`` is a
``follow_up``; statuses and report types are the values of domain/lifecycle.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import (
    BeforeValidator,
    ConfigDict,
    ModelWrapValidatorHandler,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)

from satupintu.complaints.services import DESCRIPTION_MAX, TITLE_MAX
from satupintu.core import moments


def _w3c_datetime(value: object) -> dt.datetime:
    """Only W3C/ISO 8601 text (``2026-11-30T08:00:00+07:00``, ``...Z``, ``2026-11-30``) in UTC
    (core.moments); a value without an offset is in the Pemda's time zone. Numbers are
    refused, not read as Unix times."""
    try:
        if isinstance(value, dt.datetime):
            parsed: dt.datetime | None = moments.in_utc(value)
        elif isinstance(value, str):
            parsed = moments.parse_utc(value)
        else:
            parsed = None
    except moments.OutOfRange:
        raise ValueError("the date and time is out of range") from None
    if parsed is None:
        raise ValueError("expected an ISO 8601 date and time such as 2026-11-30T08:00:00+07:00")
    return parsed


#: A date-time query parameter, as W3C date-time text only.
W3CDateTime = Annotated[
    dt.datetime,
    BeforeValidator(_w3c_datetime),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]

StatusName = Literal[
    "received",
    "on_hold",
    "archived",
    "dispatched",
    "in_progress",
    "resolved",
    "reopened",
    "closed",
]
ReportTypeName = Literal["aspirasi", "informasi", "pengaduan", "pengaduan_pengawasan"]
#: Channels an API caller may name: the citizen-side doors with any key (``submit``), the
#: officer-side ones (counter, phone, 112) with the ``intake`` scope.
ApiChannel = Literal["api", "sms", "whatsapp", "email", "social", "counter", "phone", "call112"]
AttributeValue = str | int | float | list[str]


class Strict(Schema):
    """Request bodies refuse unknown fields, so a misspelt field is an error, not lost data."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        """Ninja's root validator, which a request body (plain JSON: a dict) passes once.

        Ninja's own validates a model that forbids extra fields twice: as it is, then again
        through a getter made for model instances, which a dict of JSON values does not need
        (its values are no managers, files or callables, and these schemas have no
        resolvers). Filing a report spent 4 % of its time there."""
        if isinstance(values, dict):
            return handler(values)
        handler(values)
        return handler(DjangoGetter(values, cls, info.context))


# --------------------------------------------------------------------------- references


class CategoryRef(Schema):
    code: str
    name: str


class AgencyRef(Schema):
    code: str
    name: str


class RegionRef(Schema):
    code: str
    name: str
    district_code: str | None = None
    district_name: str | None = None


class AttributeChoice(Schema):
    key: str
    name: str


class CategoryAttributeOut(Schema):
    code: str
    label: str
    help_text: str
    datatype: Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    required: bool
    variable: bool
    order: int
    values: list[AttributeChoice]


class CategoryOut(Schema):
    code: str
    name: str
    topic: str = Field(description="The group the category is listed under")
    report_type: ReportTypeName
    agency: AgencyRef = Field(description="The agency reports of this category go to")
    completion_days: int = Field(description="Working days to complete (domain.md §1.6)")
    attributes: list[CategoryAttributeOut]


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    kind: Literal["pemda", "opd", "unit", "external"]
    parent: str | None
    external_type: str


class RegionOut(Schema):
    code: str
    name: str
    level: Literal[1, 2, 3, 4]
    parent: str | None


# --------------------------------------------------------------------------- reports


class EventOut(Schema):
    kind: str
    label: str
    at: dt.datetime
    body: str
    agency: AgencyRef | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class ReportOut(Schema):
    """A report as the public sees it: never the reporter's identity."""

    tracking_number: str
    url: str = Field(description="The public page (not for confidential reports)")
    title: str
    description: str
    report_type: ReportTypeName
    category: CategoryRef | None
    status: StatusName
    status_label: str
    anonymous: bool
    received_at: dt.datetime
    updated_at: dt.datetime
    region: RegionRef | None
    address: str
    latitude: float | None
    longitude: float | None
    agency: AgencyRef | None = Field(description="The agency that holds the report")
    next_due: dt.date | None = Field(description="The running deadline")
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None


class ReportDetailOut(ReportOut):
    answer: str | None = Field(description="The agency's latest answer")
    rating: int | None
    timeline: list[EventOut]


class ReporterReportOut(ReportDetailOut):
    """The reporter's own view (confidential reports too)."""

    confidential: bool
    version: int
    appeal_until: dt.date | None
    actions: list[Literal["reporter_reply", "confirm", "appeal", "attach"]]


class ReportPage(Schema):
    items: list[ReportOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page")


class ContactIn(Strict):
    name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=32)


class ReportIn(Strict):
    title: str = Field(max_length=TITLE_MAX)
    description: str = Field(max_length=DESCRIPTION_MAX)
    category: str | None = Field(None, max_length=40, description="A category code")
    report_type: ReportTypeName | None = Field(
        None, description="Defaults to the category's report type"
    )
    anonymous: bool = Field(default=False, description="Hide the reporter's identity from agencies")
    confidential: bool = Field(default=False, description="Hide the report from the public")
    reporter: ContactIn | None = None
    region: str | None = Field(None, max_length=13, description="Kelurahan/desa code")
    address: str = Field("", max_length=255)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    incident_date: dt.date | None = None
    channel: ApiChannel = "api"
    external_ref: str = Field("", max_length=100, description="The caller's own reference")
    attributes: dict[str, AttributeValue] = Field(
        default_factory=dict, description="Answers to the category's attributes, by code"
    )


class ReportCreatedOut(Schema):
    """The receipt: what the reporter needs to follow the report (GET it for the rest)."""

    tracking_number: str
    secret: str = Field(description="The reporter's secret: shown once, never stored in clear")
    reporter_url: str = Field(description="The reporter's private page (holds the secret)")
    url: str = Field(description="The public page (not for confidential reports)")
    status: StatusName
    status_label: str
    received_at: dt.datetime
    next_due: dt.date | None = Field(description="Verification is due by this working day")


class ReplyIn(Strict):
    body: str = Field(max_length=10_000)
    expected_version: int | None = None


class RatingIn(Strict):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=2000)
    expected_version: int | None = None


class AppealIn(Strict):
    reason: str = Field(max_length=10_000)
    expected_version: int | None = None


# --------------------------------------------------------------------------- officer


class DispositionOut(Schema):
    seq: int
    kind: Literal["dispatch", "forward"]
    from_agency: AgencyRef | None
    to_agency: AgencyRef
    created_at: dt.datetime
    reason: str
    followup_due: dt.date
    complete_due: dt.date
    accepted_at: dt.datetime | None
    ended_at: dt.datetime | None
    outcome: Literal["open", "forwarded", "returned", "resolved"]
    outcome_reason: str


class OfficerReportOut(ReportOut):
    confidential: bool
    channel: str
    external_ref: str
    version: int
    assignee: str | None
    verify_due: dt.date | None
    followup_due: dt.date | None
    complete_due: dt.date | None
    overdue: bool
    escalation_level: int
    hop_count: int
    attributes: dict[str, Any]


class OfficerEventOut(EventOut):
    public: bool
    actor: str | None


class OfficerReportDetailOut(OfficerReportOut):
    rating: int | None
    timeline: list[OfficerEventOut]
    dispositions: list[DispositionOut]


class OfficerPage(Schema):
    items: list[OfficerReportOut]
    next_cursor: str | None


class Versioned(Strict):
    expected_version: int | None = Field(
        None, description="The version you last saw; 409 stale when someone changed it since"
    )


class DispatchIn(Versioned):
    agency: str | None = Field(None, max_length=32, description="Defaults to the category's")
    category: str | None = Field(None, max_length=40)
    report_type: ReportTypeName | None = None
    instruction: str = Field("", max_length=10_000)
    anonymous: bool | None = None
    confidential: bool | None = None


class MessageIn(Versioned):
    message: str = Field(max_length=10_000)


class ReasonIn(Versioned):
    reason: str = Field(max_length=10_000)


class BodyIn(Versioned):
    body: str = Field(max_length=10_000)


class NoteIn(Versioned):
    body: str = Field(max_length=10_000)
    public: bool = Field(default=False, description="A reply the reporter and the public see")


class ForwardIn(Versioned):
    to_agency: str = Field(max_length=32)
    reason: str = Field(max_length=10_000)


class AnswerIn(Versioned):
    answer: str = Field(max_length=10_000)


class Empty(Versioned):
    pass


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, str]


class ErrorOut(Schema):
    error: ErrorDetail


#: The error answers every operation may give (api/errors.py explains each code).
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 413, 422, 429), ErrorOut)
