"""Every change to a report goes through one function here, whichever door it came from.

Each ``report_<verb>(*, actor, ...)`` runs in one transaction framed by
:func:`~satupintu.complaints.actions.step.lifecycle_step`: it locks the report row, checks the
policy (complaints/policies.py) and the lifecycle table (domain/lifecycle.py), stores the new
status, the deadline that now runs (domain.md §1.6, in working days), a timeline event with its
outbox row, and an audit entry with the old and new values. A refused action raises a
``core.errors`` type and changes nothing. The actions are grouped by who takes them:

========================  ================================================================
``intake``                a report arrives from any door; files join it
``verification``          hold, archive, dispatch (disposisi), privacy flags
``agency``                accept, tindak lanjut, forward, return, notes, assign, resolve
``reporter``              the reporter's reply, confirmation and appeal
``identity``              the audited read of the reporter's identity
``sweeps``                the SLA sweep: auto-close, hold expiry, escalation
========================  ================================================================

The actor is typed (complaints/actors.py): an officer or integration (a user), the reporter of
one report, a remote agency, or the system.
"""

from satupintu.complaints.actions.agency import (
    report_accept,
    report_add_note,
    report_assign,
    report_follow_up,
    report_forward,
    report_remote_update,
    report_resolve,
    report_return,
)
from satupintu.complaints.actions.identity import report_read_identity
from satupintu.complaints.actions.inputs import (
    ACTION_LABELS,
    BODY_MAX,
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    FIELD_LABELS,
    TITLE_MAX,
    Contact,
    action_label,
    field_label,
    status_label,
)
from satupintu.complaints.actions.intake import (
    ATTRIBUTE_PROBLEMS,
    OFFICER_CHANNELS,
    report_add_attachments,
    report_receive,
)
from satupintu.complaints.actions.reporter import (
    report_appeal,
    report_confirm,
    report_reporter_reply,
    reporter_authenticate,
)
from satupintu.complaints.actions.step import Skipped, Step, lifecycle_step
from satupintu.complaints.actions.sweeps import SweepResult, overdue_queryset, sla_sweep
from satupintu.complaints.actions.verification import (
    report_archive,
    report_dispatch,
    report_hold,
    report_set_privacy,
)
from satupintu.complaints.actors import RemoteAgency, Reporter

__all__ = [
    "ACTION_LABELS",
    "ATTRIBUTE_PROBLEMS",
    "BODY_MAX",
    "DESCRIPTION_MAX",
    "DESCRIPTION_MIN",
    "FIELD_LABELS",
    "OFFICER_CHANNELS",
    "TITLE_MAX",
    "Contact",
    "RemoteAgency",
    "Reporter",
    "Skipped",
    "Step",
    "SweepResult",
    "action_label",
    "field_label",
    "lifecycle_step",
    "overdue_queryset",
    "report_accept",
    "report_add_attachments",
    "report_add_note",
    "report_appeal",
    "report_archive",
    "report_assign",
    "report_confirm",
    "report_dispatch",
    "report_follow_up",
    "report_forward",
    "report_hold",
    "report_read_identity",
    "report_receive",
    "report_remote_update",
    "report_reporter_reply",
    "report_resolve",
    "report_return",
    "report_set_privacy",
    "reporter_authenticate",
    "sla_sweep",
    "status_label",
]
