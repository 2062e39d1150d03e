"""Reads for the officer desk, built on complaints.selectors and complaints.policies.

Every list starts from a policy-scoped queryset (``visible_reports``, ``agency_inbox``,
``overdue_reports``), loads only ``SAFE_FIELDS`` (never the reporter's contact data) and is
paged without COUNT (core/paging.py). "Not yours" and "does not exist" raise the same NotFound.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from satupintu.agencies import calendar as workcal
from satupintu.agencies.access import Access, access_for, with_units
from satupintu.agencies.models import Agency, Role
from satupintu.complaints import tracking
from satupintu.complaints.models import (
    Attachment,
    Category,
    CategoryAttribute,
    Disposition,
    Report,
    ReportEvent,
)
from satupintu.complaints.policies import Read, report_policy, visible_reports
from satupintu.complaints.selectors import (
    SAFE_FIELDS,
    agency_inbox,
    officer_timeline,
    overdue_reports,
)
from satupintu.core.errors import NotFound
from satupintu.core.models import User
from satupintu.core.paging import capped_count
from satupintu.domain.attributes import Datatype, parse_datetime
from satupintu.domain.lifecycle import (
    OWES_WORK,
    RUNNING_DEADLINE,
    TRANSITIONS,
    Action,
    Party,
    Status,
)
from satupintu.surveys.policies import skm_access

#: Fields of the report lists and page: the safe fields plus who works on it.
DESK_FIELDS = [
    *SAFE_FIELDS,
    "assignee",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
]
#: "Due soon" badge: the running deadline is at most this many working days away.
SOON_WORKING_DAYS = 1
VERIFY_STATUSES = [Status.RECEIVED.value, Status.ON_HOLD.value]
OWES_WORK_VALUES = sorted(s.value for s in OWES_WORK)
#: Actions a person can take from the desk (the reporter's and the system's are not offered).
OFFICER_ACTIONS = [a for a, t in TRANSITIONS.items() if t.parties & {Party.AGENCY, Party.VERIFIER}]


# --------------------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class Deadline:
    """A stored deadline as the desk shows it: working days left (negative: late)."""

    due: dt.date | None
    days: int = 0

    @property
    def state(self) -> str:
        if self.due is None:
            return "none"
        if self.days < 0:
            return "overdue"
        if self.days <= SOON_WORKING_DAYS:
            return "soon"
        return "ok"

    @property
    def days_late(self) -> int:
        return -self.days if self.days < 0 else 0


def deadline(due: dt.date | None, today: dt.date | None = None) -> Deadline:
    if due is None:
        return Deadline(None)
    today = today or workcal.today()
    if due < today:
        # A deadline that passed on a non-working day is still late: at least one day.
        return Deadline(due, -max(workcal.calendar().between(due, today), 1))
    return Deadline(due, workcal.calendar().between(today, due))


# --------------------------------------------------------------------------- agencies


@dataclass(frozen=True)
class AgencyScope:
    agency: Agency
    #: the agency and its units, as far as the user may see them
    ids: list[int]


def inbox_scope(user: Any, code: str) -> AgencyScope:
    """The agency whose inbox ``user`` opens; NotFound unless they work for it (or above it)."""
    access = access_for(user)
    agency = Agency.objects.filter(code=code).first()
    if agency is None or not (agency.pk in access.agencies or access.sees_everything):
        raise NotFound("agency not found")
    ids = with_units({agency.pk})
    if not access.sees_everything:
        ids &= set(access.agencies)
    return AgencyScope(agency, sorted(ids))


def head_scope(user: Any, code: str) -> AgencyScope:
    """The agency whose overdue list ``user`` opens: its heads and city-wide roles only."""
    access = access_for(user)
    agency = Agency.objects.filter(code=code).first()
    if agency is None or not (agency.pk in access.heads or access.sees_everything):
        raise NotFound("agency not found")
    ids = with_units({agency.pk})
    if not access.sees_everything:
        ids &= set(access.heads)
    return AgencyScope(agency, sorted(ids))


def agency_officers(agency_ids: list[int]) -> QuerySet[User]:
    """Active officers (liaison or head) of these agencies, to assign reports to."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__agency_id__in=agency_ids,
            memberships__is_active=True,
            memberships__role__in=[Role.LIAISON, Role.AGENCY_HEAD],
        )
        .distinct()
        .only("pk", "username", "first_name", "last_name")
        .order_by("first_name", "last_name", "username")
    )


def active_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).select_related("parent").order_by("name")


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).select_related("default_agency").order_by("name")


# --------------------------------------------------------------------------- home


@dataclass
class Queue:
    agency: Agency
    count: int
    more: bool
    overdue: int
    overdue_more: bool
    is_head: bool


@dataclass
class Menu:
    """What the desk home offers ``user``: their queues with (capped) counts."""

    access: Access
    verify: tuple[int, bool] | None = None
    verify_overdue: tuple[int, bool] | None = None
    agencies: list[Queue] = field(default_factory=list)
    city: tuple[int, bool] | None = None
    #: The user runs the SKM (surveys.policies): evaluators and system administrators.
    skm: bool = False
    #: The operations room (dashboard.views): city-wide roles and agency heads.
    room: bool = False

    @property
    def counter(self) -> bool:
        return self.access.is_officer

    @property
    def anything(self) -> bool:
        return bool(self.verify or self.agencies or self.city or self.counter or self.skm)


def desk_menu(user: Any) -> Menu:
    access = access_for(user)
    menu = Menu(access=access)
    if access.verifier or access.sysadmin:
        menu.verify = capped_count(Report.objects.filter(status__in=VERIFY_STATUSES))
        menu.verify_overdue = capped_count(
            Report.objects.filter(status=Status.RECEIVED.value, next_due__lt=workcal.today())
        )
    # The agencies where the user holds a working role, not every unit below them.
    working = {a for a, roles in access.roles.items() if roles & {Role.LIAISON, Role.AGENCY_HEAD}}
    if working:
        agencies = Agency.objects.filter(pk__in=working, is_active=True).order_by("name")
        for agency in agencies:
            ids = sorted(with_units({agency.pk}) & set(access.agencies))
            count, more = capped_count(agency_inbox(user, agency_ids=ids))
            late, late_more = capped_count(overdue_reports(agency_ids=ids))
            is_head = Role.AGENCY_HEAD in access.roles.get(agency.pk, set())
            menu.agencies.append(Queue(agency, count, more, late, late_more, is_head))
    menu.skm = skm_access(user).may_evaluate
    menu.room = access.sees_everything or bool(access.heads)
    if access.sees_everything:
        menu.city = capped_count(
            visible_reports(user, Report.objects.filter(status__in=OWES_WORK_VALUES))
        )
    return menu


# --------------------------------------------------------------------------- lists


def verification_queue(user: Any) -> QuerySet[Report]:
    """Received and on-hold reports, oldest deadline first (verifiers only)."""
    access = access_for(user)
    if not (access.verifier or access.sysadmin):
        raise NotFound("not found")
    return (
        visible_reports(user, Report.objects.filter(status__in=VERIFY_STATUSES))
        .only(*DESK_FIELDS)
        .select_related("category__default_agency", "assignee")
        .order_by("next_due", "pk")
    )


def search_filter(q: str) -> Q:
    """A tracking number (as people type it) or words of the title."""
    number = tracking.normalize_tracking_number(q)
    condition = Q(title__icontains=q.strip())
    if len(number) == tracking.LENGTH:
        condition |= Q(tracking_number=number)
    return condition


@dataclass(frozen=True)
class ListFilter:
    status: str = ""
    category: Category | None = None
    agency: Agency | None = None
    overdue: bool = False
    mine: bool = False
    q: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    #: region codes (the operations room's drill-downs): the report's kecamatan or kelurahan
    kecamatan: str = ""
    kelurahan: str = ""
    channel: str = ""


def _filtered(qs: QuerySet[Report], f: ListFilter, user: Any) -> QuerySet[Report]:
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category is not None:
        qs = qs.filter(category=f.category)
    if f.agency is not None:
        qs = qs.filter(current_agency_id__in=with_units({f.agency.pk}))
    if f.overdue:
        qs = qs.filter(next_due__lt=workcal.today(), status__in=OWES_WORK_VALUES)
    if f.mine:
        qs = qs.filter(assignee_id=user.pk)
    if f.q.strip():
        qs = qs.filter(search_filter(f.q))
    if f.kelurahan:
        qs = qs.filter(region_id=f.kelurahan)
    if f.kecamatan:
        qs = qs.filter(region__parent_id=f.kecamatan)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    tz = timezone.get_current_timezone()
    if f.received_from:
        start = dt.datetime.combine(f.received_from, dt.time.min, tzinfo=tz)
        qs = qs.filter(received_at__gte=start)
    if f.received_to:
        end = dt.datetime.combine(f.received_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        qs = qs.filter(received_at__lt=end)
    return qs


def inbox(user: Any, scope: AgencyScope, f: ListFilter) -> QuerySet[Report]:
    """What the agency (and its units) holds and owes work on, nearest deadline first."""
    qs = agency_inbox(user, agency_ids=scope.ids)
    return (
        _filtered(qs, f, user)
        .only(*DESK_FIELDS)
        .select_related("category", "current_agency", "assignee")
        .order_by("next_due", "pk")
    )


def overdue_list(scope: AgencyScope) -> QuerySet[Report]:
    return (
        overdue_reports(agency_ids=scope.ids)
        .only(*DESK_FIELDS)
        .select_related("category", "current_agency", "assignee")
    )


def escalated_in_time(user: Any, scope: AgencyScope) -> QuerySet[Report]:
    """Reports escalated earlier that are back within a running deadline."""
    return (
        agency_inbox(user, agency_ids=scope.ids)
        .filter(escalation_level__gt=0, next_due__gte=workcal.today())
        .only(*DESK_FIELDS)
        .select_related("category", "current_agency", "assignee")
        .order_by("next_due", "pk")
    )


def city_reports(user: Any, f: ListFilter) -> QuerySet[Report]:
    """Every report the user may see city-wide (leaders, verifiers), newest first."""
    if not access_for(user).sees_everything:
        raise NotFound("not found")
    return (
        _filtered(visible_reports(user), f, user)
        .only(*DESK_FIELDS)
        .select_related("category", "current_agency", "assignee")
        .order_by("-received_at", "-pk")
    )


# --------------------------------------------------------------------------- one report


def report_for_desk(user: Any, report_id: int) -> Report:
    """One report for an officer (policies.visible_reports); NotFound for "not yours" too."""
    report = (
        visible_reports(user)
        .only(
            *DESK_FIELDS,
            "received_by__first_name",
            "received_by__last_name",
            "received_by__username",
            "received_by",
            "attributes",
        )
        .select_related(
            "category__default_agency", "current_agency", "region", "assignee", "received_by"
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound("report not found")
    return report


def available_actions(user: Any, report: Report) -> set[Action]:
    """The actions ``user`` may take on ``report`` now (the report policy's answer)."""
    return report_policy.actions_for(user, report, OFFICER_ACTIONS)


@dataclass
class Hop:
    disposition: Disposition
    #: working days spent at the receiving agency (so far, while it is open)
    working_days: int
    is_open: bool


@dataclass(frozen=True)
class DeadlineRow:
    label: str
    deadline: Deadline
    #: the deadline that runs in the report's current status (its ``next_due``)
    running: bool


@dataclass(frozen=True)
class Answer:
    """The reporter's answer to one of the category's questions."""

    label: str
    #: the answer as text (choices by their names)
    text: str
    #: the moment of a date-time answer, in the Pemda's time zone
    when: dt.datetime | None = None


def _answer_moment(value: object) -> dt.datetime | None:
    when = parse_datetime(str(value))
    if when is None:
        return None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return timezone.localtime(when)


def answers(report: Report) -> list[Answer]:
    """The answers to the category's questions, labelled and in the questions' order (one
    query, none without answers). Officers only: answers may be personal. An answer to a
    question the category no longer has (it was changed) is labelled with its code."""
    given = report.attributes if isinstance(report.attributes, dict) else {}
    if not given:
        return []
    asked = CategoryAttribute.objects.none()
    if report.category_id is not None:
        asked = CategoryAttribute.objects.filter(
            category_id=report.category_id, code__in=list(given)
        ).only("code", "label", "datatype", "values", "order")
    questions = {q.code: q for q in asked}

    def position(code: str) -> tuple[int, int, str]:
        question = questions.get(code)
        return (0, question.order, code) if question else (1, 0, code)

    out = []
    for code in sorted(given, key=position):
        value = given[code]
        question = questions.get(code)
        if question is not None and question.datatype == Datatype.DATETIME.value:
            when = _answer_moment(value)
            if when is not None:
                out.append(Answer(label=question.label, text=str(value), when=when))
                continue
        names = dict(question.choices()) if question is not None else {}
        values = value if isinstance(value, list) else [value]
        text = ", ".join(names.get(str(v), str(v)) for v in values)
        out.append(Answer(label=question.label if question else code, text=text))
    return out


@dataclass
class ReportPage:
    report: Report
    deadlines: list[DeadlineRow]
    running: Deadline
    timeline: list[ReportEvent]
    hops: list[Hop]
    attachments: list[Attachment]
    actions: set[Action]
    may_read_identity: bool
    #: the holding agency's inbox is one the user may open (for the breadcrumb)
    may_open_holder_inbox: bool
    #: the reporter's answers to the category's questions
    answers: list[Answer] = field(default_factory=list)


DEADLINE_FIELDS = (
    "verify_due",
    "hold_due",
    "followup_due",
    "complete_due",
    "autoclose_due",
    "appeal_until",
)


def report_page(user: Any, report_id: int) -> ReportPage:
    report = report_for_desk(user, report_id)
    running = RUNNING_DEADLINE[Status(report.status)]
    access = access_for(user)
    today = workcal.today()
    now = timezone.now()
    calendar = workcal.calendar()
    hops = []
    for d in report.dispositions.select_related("from_agency", "to_agency", "by").order_by("seq"):
        end = d.ended_at or now
        days = calendar.between(
            timezone.localtime(d.created_at).date(), timezone.localtime(end).date()
        )
        hops.append(Hop(d, max(days, 0), d.ended_at is None))
    attachments = list(
        report.attachments.select_related("uploaded_by").order_by("uploaded_at", "pk")
    )
    return ReportPage(
        report=report,
        deadlines=[
            DeadlineRow(
                label=str(getattr(Report._meta.get_field(name), "verbose_name", name)),
                deadline=deadline(getattr(report, name), today),
                running=name == running.value if running else False,
            )
            for name in DEADLINE_FIELDS
            if getattr(report, name) is not None
        ],
        running=deadline(report.next_due, today),
        timeline=list(officer_timeline(user, report)),
        hops=hops,
        attachments=attachments,
        actions=available_actions(user, report),
        may_read_identity=report_policy.can(user, Read.IDENTITY, report),
        may_open_holder_inbox=report.current_agency_id is not None
        and (report.current_agency_id in access.agencies or access.sees_everything),
        answers=answers(report),
    )


def tracking_numbers(user: Any, ids: list[int]) -> dict[int, str]:
    """Formatted tracking numbers of the reports ``user`` may see among ``ids``."""
    if not ids:
        return {}
    rows = visible_reports(user).filter(pk__in=ids).values_list("pk", "tracking_number")
    return {pk: tracking.format_tracking_number(number) for pk, number in rows}


def attachment_for_officer(user: Any, report_id: int, attachment_id: int) -> Attachment:
    report = report_for_desk(user, report_id)
    found = Attachment.objects.filter(report_id=report.pk, pk=attachment_id).first()
    if found is None:
        raise NotFound("attachment not found")
    return found


def assignable_officers(report: Report) -> QuerySet[User]:
    if report.current_agency_id is None:
        return User.objects.none()
    return agency_officers([report.current_agency_id])


def counter_regions(user: Any) -> QuerySet[Any]:
    """Kelurahan/desa of the Pemda's own region, for the counter form (empty if unknown)."""
    from satupintu.agencies.models import Region

    root = (
        Agency.objects.filter(kind=Agency.Kind.PEMDA, parent=None, region__isnull=False)
        .order_by("pk")
        .values_list("region_id", flat=True)
        .first()
    )
    if root is None:
        return Region.objects.none()
    return Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=f"{root}.").order_by(
        "name"
    )
