"""What the system already knows about a unit, gathered for the PEKPPP pre-fill and the
Ombudsman readiness checklist: the service catalogue, the SKM, and the complaint indicators.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from satupintu.catalogue.selectors import CatalogueFacts, catalogue_facts, service_facts
from satupintu.domain.evaluation.prefill import SkmFacts, UnitData
from satupintu.domain.evaluation.readiness import Readiness, UnitFacts, unit_readiness
from satupintu.domain.evaluation.sp4n import complaint_score
from satupintu.domain.evaluation.standard import publication_score, unit_score
from satupintu.evaluation.models import ComplaintSnapshot
from satupintu.surveys.selectors import skm_status


def skm_facts(unit_id: int, year: int) -> SkmFacts:
    """The SKM of a unit in a year: the ONE place the evaluation reads the surveys app
    (``surveys.selectors.skm_status``: periods ending in the year)."""
    status = skm_status(unit_id, year)
    done = status.follow_ups_done
    return SkmFacts(
        done=status.surveyed,
        respondents=status.respondents,
        published=status.published,
        followup_share=status.follow_up_share,
        followup_on_time_share=(Fraction(status.follow_ups_done_on_time, done) if done else None),
    )


def snapshot_for(unit_id: int, year: int) -> ComplaintSnapshot | None:
    return ComplaintSnapshot.objects.filter(year=year, agency_id=unit_id).first()


def complaint_score_of(snapshot: ComplaintSnapshot | None) -> int | None:
    if snapshot is None:
        return None
    return complaint_score(snapshot.followup_share, snapshot.overdue_share)


def unit_data(unit_id: int, year: int, *, today: dt.date) -> UnitData:
    """Everything the PEKPPP suggestions draw on for one unit and year."""
    catalogue = catalogue_facts([unit_id], today=today)[unit_id]
    return UnitData(
        standard=unit_score(service_facts(unit_id, today=today)),
        publication=publication_score(catalogue.services, catalogue.published),
        maklumat=catalogue.maklumat,
        skm=skm_facts(unit_id, year),
        complaints=complaint_score_of(snapshot_for(unit_id, year)),
    )


def readiness_of(
    catalogue: CatalogueFacts, snapshot: ComplaintSnapshot | None, *, year: int
) -> Readiness:
    """The Ombudsman readiness estimate of a unit (domain.evaluation.readiness)."""
    return unit_readiness(
        UnitFacts(
            services=catalogue.services,
            published=catalogue.published,
            published_complete=catalogue.published_complete,
            published_stipulated_reviewed=catalogue.published_stipulated_reviewed,
            published_with=catalogue.published_with,
            maklumat=catalogue.maklumat,
            followup_on_time=snapshot.followup_share if snapshot else None,
            overdue=snapshot.overdue_share if snapshot else None,
            officers_active=snapshot.officers_active if snapshot else None,
            rating=snapshot.rating_mean if snapshot else None,
        ),
        year=year,
    )
