"""The reporter's identity (domain.md §1.8): read only by an officer who may see the report
and whose role allows it, never an anonymous reporter's by an agency; every read is on the
report's audit chain with its purpose."""

from __future__ import annotations

from satupintu.complaints.actions.inputs import Contact, clean_text
from satupintu.complaints.actions.step import lifecycle_step
from satupintu.complaints.actors import Actor
from satupintu.complaints.policies import Read
from satupintu.core import crypto


def report_read_identity(*, actor: Actor, report_id: int, purpose: str) -> Contact:
    """The reporter's identity for an officer who may see it. A report the officer may not
    see is not found, whether or not its reporter is anonymous (policies: visibility first)."""
    purpose = clean_text(purpose, "purpose", max_len=500)
    with lifecycle_step(actor, report_id, Read.IDENTITY) as step:
        step.audit["purpose"] = purpose
        data = crypto.decrypt_json(step.report.contact_encrypted)
    return Contact(
        name=data.get("name", ""), email=data.get("email", ""), phone=data.get("phone", "")
    )
