"""Agency work (domain.md §1.5 stages 4–5, §1.7): the agency that holds a report accepts it,
follows it up (tindak lanjut), forwards what belongs elsewhere (No Wrong Door) or returns it as
not its authority (bukan wewenang), writes notes and public replies, assigns it to one of its
officers, and answers it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from satupintu.agencies.access import access_for
from satupintu.agencies.models import Agency, Membership
from satupintu.complaints import deadlines
from satupintu.complaints.actions import hops
from satupintu.complaints.actions.inputs import active_agency, clean_text
from satupintu.complaints.actions.step import lifecycle_step
from satupintu.complaints.actors import Actor, RemoteAgency
from satupintu.complaints.models import Disposition, Report, ReportEvent
from satupintu.core.errors import InvalidInput, InvalidTransition
from satupintu.domain.lifecycle import Action


def report_accept(
    *,
    actor: Actor,
    report_id: int,
    expected_version: int | None = None,
    data: Mapping[str, Any] | None = None,
) -> Report:
    """The agency acknowledges the disposisi (status stays ``dispatched``); ``data`` is kept on
    the timeline event (e.g. the number an external agency's system gave the report)."""
    with lifecycle_step(actor, report_id, Action.ACCEPT, expected_version) as step:
        report = step.report
        if hops.open_hop(report).filter(accepted_at=None).update(accepted_at=step.now):
            step.record(
                ReportEvent.Kind.ACCEPTED,
                public=True,
                agency_id=report.current_agency_id,
                data=dict(data or {}),
            )
            step.audit["disposition"] = "accepted"
        # else already accepted: nothing changes
    return step.report


def report_follow_up(
    *, actor: Actor, report_id: int, body: str, expected_version: int | None = None
) -> Report:
    """Tindak lanjut: the agency posts progress; the first one meets the 5-day deadline."""
    return _progress(
        actor=actor,
        report_id=report_id,
        body=clean_text(body, "body"),
        action=Action.FOLLOW_UP,
        kind=ReportEvent.Kind.FOLLOW_UP,
        expected_version=expected_version,
    )


def report_remote_update(
    *, actor: RemoteAgency, report_id: int, body: str, data: Mapping[str, Any] | None = None
) -> Report:
    """News from the holding external agency's own system (Open311 federation): its status and
    notes, on the timeline as that agency's tindak lanjut."""
    return _progress(
        actor=actor,
        report_id=report_id,
        body=clean_text(body, "body", required=False),
        action=Action.REMOTE_UPDATE,
        kind=ReportEvent.Kind.REMOTE_UPDATE,
        data=data,
    )


def _progress(
    *,
    actor: Actor,
    report_id: int,
    body: str,
    action: Action,
    kind: str,
    expected_version: int | None = None,
    data: Mapping[str, Any] | None = None,
) -> Report:
    with lifecycle_step(actor, report_id, action, expected_version) as step:
        report = step.report
        hops.open_hop(report).filter(accepted_at=None).update(accepted_at=step.now)
        if report.first_followup_at is None:
            report.first_followup_at = step.now
        step.record(
            kind,
            body=body,
            public=True,
            agency_id=report.current_agency_id,
            data=dict(data or {}),
        )
        step.audit["body"] = body
    return step.report


def report_forward(
    *,
    actor: Actor,
    report_id: int,
    to_agency: Agency | int | str,
    reason: str,
    expected_version: int | None = None,
) -> Report:
    """No Wrong Door (domain.md §1.7): pass a misrouted report on to the competent agency."""
    reason = clean_text(reason, "reason")
    with lifecycle_step(actor, report_id, Action.FORWARD, expected_version) as step:
        report = step.report
        target = active_agency(to_agency, "to_agency")
        if target.pk == report.current_agency_id:
            raise InvalidInput(
                _("Laporan ini sudah berada di instansi tersebut; pilih instansi lain."),
                fields={"to_agency": _("Pilih instansi lain.")},
            )
        source = report.current_agency
        hops.end(report, Disposition.Outcome.FORWARDED, reason, step.now)
        report.assignee = None
        hops.start(
            report,
            kind=Disposition.Kind.FORWARD,
            to=target,
            from_agency_id=source.pk if source else None,
            actor=actor,
            reason=reason,
            now=step.now,
        )
        report.hop_count += 1
        step.record(
            ReportEvent.Kind.FORWARDED,
            body=reason,
            public=True,
            agency_id=target.pk,
            data={"from": source.code if source else None, "to": target.code},
        )
        step.audit["reason"] = reason
    return step.report


def report_return(
    *, actor: Actor, report_id: int, reason: str, expected_version: int | None = None
) -> Report:
    """Bukan wewenang: hand the report back to the verifiers for re-routing, with a reason."""
    reason = clean_text(reason, "reason")
    with lifecycle_step(actor, report_id, Action.RETURN, expected_version) as step:
        report = step.report
        source_id = report.current_agency_id
        hops.end(report, Disposition.Outcome.RETURNED, reason, step.now)
        report.current_agency = None
        report.assignee = None
        report.followup_due = None
        report.complete_due = None
        report.verify_due = deadlines.add_workdays(step.today, deadlines.policy().verify)
        step.record(ReportEvent.Kind.RETURNED, body=reason, public=True, agency_id=source_id)
        step.audit["reason"] = reason
    return step.report


def report_add_note(
    *,
    actor: Actor,
    report_id: int,
    body: str,
    public: bool = False,
    expected_version: int | None = None,
) -> ReportEvent:
    """An internal note (officers only) or a public reply (the reporter and the public see it).
    Either moves the report's version and ``updated_at`` on, so a client that syncs sees it."""
    body = clean_text(body, "body")
    action = Action.PUBLIC_REPLY if public else Action.NOTE
    with lifecycle_step(actor, report_id, action, expected_version) as step:
        holder = step.report.current_agency_id
        event = step.record(
            ReportEvent.Kind.PUBLIC_REPLY if public else ReportEvent.Kind.NOTE,
            body=body,
            public=public,
            agency_id=holder if holder in access_for(actor).agencies else None,
        )
        step.audit["body"] = body
    return event


def report_resolve(
    *,
    actor: Actor,
    report_id: int,
    answer: str,
    expected_version: int | None = None,
    data: Mapping[str, Any] | None = None,
) -> Report:
    """Selesai: the agency's answer; the reporter may confirm, reply or appeal."""
    answer = clean_text(answer, "answer")
    with lifecycle_step(actor, report_id, Action.RESOLVE, expected_version) as step:
        report = step.report
        sla = deadlines.policy()
        hops.end(report, Disposition.Outcome.RESOLVED, answer, step.now)
        report.resolved_at = step.now
        if report.first_followup_at is None:
            report.first_followup_at = step.now
        report.autoclose_due = deadlines.add_workdays(step.today, sla.auto_close)
        report.appeal_until = deadlines.add_workdays(step.today, sla.appeal)
        step.record(
            ReportEvent.Kind.RESOLVED,
            body=answer,
            public=True,
            agency_id=report.current_agency_id,
            data=dict(data or {}),
        )
        step.audit["answer"] = answer
    return step.report


def report_assign(
    *, actor: Actor, report_id: int, assignee: Any, expected_version: int | None = None
) -> Report:
    """Give the report to one officer of the agency that holds it (None takes it back)."""
    with lifecycle_step(actor, report_id, Action.ASSIGN, expected_version) as step:
        report = step.report
        if assignee is not None:
            holder = report.current_agency_id
            if holder is None:
                raise InvalidTransition(_("Laporan ini tidak sedang ditangani instansi mana pun."))
            members = Membership.objects.filter(
                user_id=assignee.pk, agency_id=holder, is_active=True
            )
            if not assignee.is_active or not members.exists():
                raise InvalidInput(
                    _("%(officer)s bukan petugas instansi yang sedang menangani laporan ini.")
                    % {"officer": assignee.get_full_name() or assignee.get_username()},
                    fields={"assignee": _("Bukan petugas instansi ini.")},
                )
        if report.assignee_id != (assignee.pk if assignee else None):
            report.assignee = assignee
            step.record(
                ReportEvent.Kind.ASSIGNED,
                public=False,
                agency_id=report.current_agency_id,
                data={"assignee": assignee.get_username() if assignee else None},
            )
    return step.report
