"""The lifecycle of design.md §3 as the officers and reporters of a small city live it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from satupintu.complaints import services
from satupintu.complaints.actions import inputs, step
from satupintu.complaints.models import Disposition, Report, ReportEvent
from satupintu.core import audit
from satupintu.core.errors import (
    InvalidInput,
    InvalidTransition,
    NotFound,
    NotPermitted,
    StaleReport,
    WindowClosed,
)
from satupintu.domain.lifecycle import Action
from tests.conftest import City

pytestmark = pytest.mark.django_db


def test_receive_issues_tracking_number_secret_and_verification_deadline(
    city: City, weekday: dt.date
) -> None:
    report, secret = city.file()
    assert report.status == "received"
    assert len(report.tracking_number) == 10
    assert report.verify_due == dt.date(2025, 3, 10)  # Wed + 3 working days = Mon
    assert report.next_due == report.verify_due
    assert "Siti" not in report.contact_encrypted
    assert (
        services.reporter_authenticate(report.tracking_number.lower(), secret).report_id
        == report.pk
    )
    with pytest.raises(NotFound):
        services.reporter_authenticate(report.tracking_number, "wrong-secret")
    assert audit.verify().ok


def test_tracking_numbers_are_random_not_sequential(city: City) -> None:
    numbers = [city.file()[0].tracking_number for _ in range(5)]
    assert len(set(numbers)) == 5
    assert sorted(numbers) != numbers or sorted(numbers, reverse=True) != numbers


@pytest.mark.parametrize(
    ("kwargs", "field", "word"),
    [
        ({"title": "  "}, "title", "Judul laporan wajib diisi."),
        ({"title": "x" * 201}, "title", "terlalu panjang"),
        ({"description": "pendek"}, "description", "terlalu pendek"),
        ({"channel": "pigeon"}, "channel", "Kanal"),
        ({"report_type": "gossip"}, "report_type", "Jenis laporan"),
        ({"latitude": "95", "longitude": "106.8"}, "latitude", "di antara -90 dan 90"),
        ({"latitude": "utara", "longitude": "106.8"}, "latitude", "harus berupa angka"),
        ({"latitude": "-6.4"}, "latitude", "garis bujur"),
        ({"region_code": "99.99"}, "region_code", "kelurahan/desa"),
        ({"category": "no-such-category"}, "category", "Kategori"),
        ({"incident_date": dt.date(2999, 1, 1)}, "incident_date", "masa depan"),
    ],
)
def test_bad_intake_is_refused_with_the_field_named_and_nothing_stored(
    city: City, kwargs: dict[str, Any], field: str, word: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        city.file(**kwargs)
    assert err.value.code == "invalid"
    assert field in err.value.fields and err.value.fields[field]
    assert word in err.value.message
    assert Report.objects.count() == 0


def test_every_action_has_a_label_for_refusals() -> None:
    assert set(services.ACTION_LABELS) == set(Action)


def test_counter_channel_needs_an_officer(city: City) -> None:
    with pytest.raises(NotPermitted):
        city.file(channel="counter")
    report, _ = city.file(channel="call112", actor=city.verifier)
    assert report.channel == "call112"
    assert report.received_by == city.verifier


def test_full_lifecycle_with_deadlines_disposisi_and_rating(
    city: City, weekday: dt.date, time_machine: Any
) -> None:
    report, _ = city.file()
    report = services.report_dispatch(
        actor=city.verifier, report_id=report.pk, instruction="Mohon ditinjau"
    )
    assert report.status == "dispatched"
    assert report.current_agency == city.dpupr
    assert report.followup_due == dt.date(2025, 3, 12)  # +5 working days
    assert report.complete_due == dt.date(2025, 3, 25)  # pengaduan: +14 working days
    assert report.next_due == report.followup_due

    services.report_accept(actor=city.officer_a, report_id=report.pk)
    report = services.report_follow_up(
        actor=city.officer_a, report_id=report.pk, body="Tim meninjau lokasi."
    )
    assert report.status == "in_progress"
    assert report.next_due == report.complete_due
    assert report.first_followup_at is not None

    report = services.report_resolve(
        actor=city.officer_a, report_id=report.pk, answer="Lubang sudah ditambal."
    )
    assert report.status == "resolved"
    assert report.autoclose_due == dt.date(2025, 3, 19)  # +10 working days

    report = services.report_confirm(
        actor=city.reporter(report), report_id=report.pk, rating=5, comment="Cepat!"
    )
    assert (report.status, report.rating) == ("closed", 5)

    kinds = list(report.events.values_list("kind", flat=True))
    assert kinds == ["received", "dispatched", "accepted", "follow_up", "resolved", "confirmed"]
    hop = report.dispositions.get()
    assert (hop.to_agency, hop.outcome, hop.accepted_at is not None) == (
        city.dpupr,
        "resolved",
        True,
    )
    assert audit.verify().ok
    assert report.version == 6


def test_forward_to_external_agency_and_return_as_bukan_wewenang(city: City) -> None:
    report = city.dispatched()
    report = services.report_forward(
        actor=city.officer_a,
        report_id=report.pk,
        to_agency="pln-depok",
        reason="Kabel PLN, bukan jalan",
    )
    assert (report.status, report.current_agency, report.hop_count) == ("dispatched", city.pln, 2)
    first, second = report.dispositions.order_by("seq")
    assert (first.outcome, first.outcome_reason) == ("forwarded", "Kabel PLN, bukan jalan")
    assert (second.from_agency, second.to_agency, second.kind) == (city.dpupr, city.pln, "forward")

    # DPUPR no longer holds it: it cannot act any more, but can still see it.
    with pytest.raises(NotPermitted):
        services.report_follow_up(actor=city.officer_a, report_id=report.pk, body="x")

    report2 = city.dispatched()
    report2 = services.report_return(
        actor=city.officer_a, report_id=report2.pk, reason="Bukan wewenang DPUPR"
    )
    assert (report2.status, report2.current_agency) == ("received", None)
    assert report2.dispositions.get().outcome == "returned"
    # The verifier re-routes it (No Wrong Door: never dropped).
    report2 = services.report_dispatch(actor=city.verifier, report_id=report2.pk, agency="dlhk")
    assert report2.current_agency == city.dlhk
    assert report2.dispositions.count() == 2


def test_forward_to_same_agency_is_refused(city: City) -> None:
    report = city.dispatched()
    with pytest.raises(InvalidInput):
        services.report_forward(
            actor=city.officer_a, report_id=report.pk, to_agency="dpupr", reason="x"
        )


def test_hold_reply_archive_paths(city: City, weekday: dt.date) -> None:
    report, secret = city.file()
    report = services.report_hold(
        actor=city.verifier, report_id=report.pk, message="Mohon lampirkan foto."
    )
    assert (report.status, report.next_due) == ("on_hold", dt.date(2025, 3, 19))
    reporter = services.reporter_authenticate(report.tracking_number, secret)
    report = services.report_reporter_reply(
        actor=reporter, report_id=report.pk, body="Foto terlampir."
    )
    assert report.status == "received"
    report = services.report_archive(
        actor=city.verifier, report_id=report.pk, reason="Laporan ganda."
    )
    assert report.status == "archived" and report.next_due is None
    with pytest.raises(InvalidTransition):
        services.report_dispatch(actor=city.verifier, report_id=report.pk)


def test_invalid_transition_changes_nothing(city: City) -> None:
    report, _ = city.file()
    before = Report.objects.values().get(pk=report.pk)
    entries = audit.verify().entries
    with pytest.raises(InvalidTransition) as err:
        services.report_resolve(actor=city.sysadmin, report_id=report.pk, answer="selesai")
    assert err.value.code == "invalid_transition"
    assert err.value.message == "Laporan berstatus diterima tidak dapat diselesaikan."
    assert "received" in err.value.detail  # the lifecycle's own reason, kept for logs and APIs
    assert Report.objects.values().get(pk=report.pk) == before
    assert audit.verify().entries == entries


def test_only_the_holding_agency_acts_and_others_get_not_found(city: City) -> None:
    report = city.dispatched()
    with pytest.raises(NotFound):
        services.report_follow_up(
            actor=city.officer_b, report_id=report.pk, body="bukan milik kami"
        )
    with pytest.raises(NotPermitted):
        services.report_dispatch(actor=city.officer_a, report_id=report.pk)
    with pytest.raises(NotPermitted):
        services.report_follow_up(
            actor=city.leader, report_id=report.pk, body="pimpinan hanya melihat"
        )


def test_parent_agency_officer_acts_for_its_units(city: City) -> None:
    report, _ = city.file()
    report = services.report_dispatch(
        actor=city.verifier, report_id=report.pk, agency="pkm-pancoran-mas"
    )
    report = services.report_follow_up(
        actor=city.officer_health, report_id=report.pk, body="Ditangani."
    )
    assert report.status == "in_progress"


def test_stale_version_is_a_conflict(city: City) -> None:
    report, _ = city.file()
    services.report_hold(
        actor=city.verifier, report_id=report.pk, message="Lengkapi", expected_version=1
    )
    with pytest.raises(StaleReport) as err:
        services.report_archive(
            actor=city.verifier, report_id=report.pk, reason="x", expected_version=1
        )
    assert err.value.code == "stale" and "muat ulang" in err.value.message


def test_notes_are_internal_and_replies_public(city: City) -> None:
    report = city.dispatched()
    note = services.report_add_note(
        actor=city.officer_a, report_id=report.pk, body="Koordinasi dgn kecamatan"
    )
    reply = services.report_add_note(
        actor=city.officer_a, report_id=report.pk, body="Sedang dijadwalkan", public=True
    )
    assert (note.is_public, reply.is_public) == (False, True)
    assert (note.kind, reply.kind) == (ReportEvent.Kind.NOTE, ReportEvent.Kind.PUBLIC_REPLY)


def test_appeal_reopens_within_the_window_and_not_after(
    city: City, weekday: dt.date, time_machine: Any
) -> None:
    report = city.resolved()
    report = services.report_appeal(
        actor=city.reporter(report), report_id=report.pk, reason="Masih berlubang"
    )
    assert (report.status, report.appeal_count, report.current_agency) == (
        "reopened",
        1,
        city.dpupr,
    )
    assert report.dispositions.filter(outcome=Disposition.Outcome.OPEN).count() == 1
    report = services.report_resolve(
        actor=city.officer_a, report_id=report.pk, answer="Diaspal ulang"
    )
    time_machine.move_to(dt.datetime(2025, 4, 30, 2, 0, tzinfo=dt.UTC), tick=False)
    with pytest.raises(WindowClosed) as err:
        services.report_appeal(actor=city.reporter(report), report_id=report.pk, reason="lagi")
    assert err.value.code == "window_closed" and "Masa banding" in err.value.message
    assert report.appeal_until is not None
    assert report.appeal_until.isoformat() in err.value.detail


def test_reporter_acts_only_on_own_report_and_rating_is_validated(city: City) -> None:
    mine = city.resolved()
    other = city.resolved()
    with pytest.raises(NotFound):
        services.report_confirm(actor=city.reporter(other), report_id=mine.pk, rating=4)
    for bad in (0, 6, True, "5"):
        with pytest.raises(InvalidInput):
            services.report_confirm(actor=city.reporter(mine), report_id=mine.pk, rating=bad)  # type: ignore[arg-type]
    assert Report.objects.get(pk=mine.pk).status == "resolved"


def test_reporter_reply_on_resolved_report_restarts_auto_close(
    city: City, weekday: dt.date, time_machine: Any
) -> None:
    report = city.resolved()
    first_due = report.autoclose_due
    time_machine.move_to(dt.datetime(2025, 3, 12, 2, 0, tzinfo=dt.UTC), tick=False)
    report = services.report_reporter_reply(
        actor=city.reporter(report), report_id=report.pk, body="Belum rapi"
    )
    assert report.status == "resolved"
    assert report.autoclose_due > first_due


def test_sla_sweep_escalates_once_auto_closes_and_expires_holds(
    city: City, weekday: dt.date, time_machine: Any
) -> None:
    late = city.dispatched()
    done = city.resolved()
    held, _ = city.file()
    services.report_hold(actor=city.verifier, report_id=held.pk, message="Lengkapi lokasi")
    fresh = city.file()[0]
    time_machine.move_to(
        dt.datetime(2025, 3, 24, 2, 0, tzinfo=dt.UTC), tick=False
    )  # Mon, 13 wd later
    assert set(services.overdue_queryset(dt.date(2025, 3, 24)).values_list("pk", flat=True)) == {
        late.pk,
        fresh.pk,
    }
    result = services.sla_sweep()
    assert (result.auto_closed, result.hold_expired, result.escalated) == (1, 1, 2)
    assert services.sla_sweep() == services.SweepResult()  # idempotent
    late.refresh_from_db()
    assert late.escalation_level == 1 and late.escalated_due == late.next_due
    escalation = late.events.get(kind="escalated")
    assert escalation.is_public is False and escalation.data["working_days_late"] > 0
    assert Report.objects.get(pk=done.pk).status == "closed"
    assert Report.objects.get(pk=held.pk).status == "archived"
    assert audit.verify().ok


def test_verifier_may_set_privacy_but_not_lift_it(city: City) -> None:
    report, _ = city.file(is_anonymous=True)
    report = services.report_set_privacy(
        actor=city.verifier, report_id=report.pk, is_confidential=True
    )
    assert report.is_confidential
    with pytest.raises(InvalidInput):
        services.report_set_privacy(actor=city.verifier, report_id=report.pk, is_anonymous=False)


def test_identity_reads_are_audited_and_anonymous_identity_never_reaches_agencies(
    city: City,
) -> None:
    named = city.dispatched()
    contact = services.report_read_identity(
        actor=city.officer_a, report_id=named.pk, purpose="klarifikasi"
    )
    assert contact.name == "Siti Aminah"
    assert named.pk and audit.verify().ok
    from satupintu.core.models import AuditEntry

    assert (
        AuditEntry.objects.filter(chain=f"report:{named.pk}", action="identity_read").count() == 1
    )

    anonymous = city.dispatched(is_anonymous=True)
    for officer in (city.officer_a, city.head_a, city.verifier, city.leader):
        with pytest.raises(NotPermitted):
            services.report_read_identity(
                actor=officer, report_id=anonymous.pk, purpose="ingin tahu"
            )
    with pytest.raises(NotFound):
        services.report_read_identity(actor=city.officer_b, report_id=named.pk, purpose="x")


def test_messages_are_translated_when_raised(city: City, monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages go through gettext at raise time, so they follow the request's language."""
    for module in (inputs, step):
        monkeypatch.setattr(module, "_", lambda text: f"<{text}>")
    with pytest.raises(InvalidInput) as err:
        city.file(title="")
    assert err.value.message == "<<Judul laporan> wajib diisi.>"
    assert err.value.fields == {"title": "<Wajib diisi.>"}
    report, _ = city.file()
    with pytest.raises(InvalidTransition) as refused:
        services.report_resolve(actor=city.sysadmin, report_id=report.pk, answer="selesai")
    assert refused.value.message == "<Laporan berstatus diterima tidak dapat diselesaikan.>"
