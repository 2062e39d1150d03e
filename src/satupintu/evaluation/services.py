"""Every change to the evaluation: one function per verb, in one transaction, audited.

The PEKPPP worksheet's audit chain is ``pekpppworksheet:<id>``; each entry names the indicator
codes whose score or note changed, with the values before and after, and the evidence files
added or removed. Evidence files are checked like report attachments (complaints/attachments.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.agencies import calendar as workcal
from satupintu.agencies.models import Agency
from satupintu.catalogue.policies import service_unit
from satupintu.catalogue.services import check_version, clean_text
from satupintu.complaints.attachments import CleanFile, clean_files, keep
from satupintu.core import audit
from satupintu.core.errors import InvalidInput, NotFound
from satupintu.domain.evaluation.prefill import DEFAULT_SOURCES, suggest
from satupintu.domain.indices import PEKPPP_2023
from satupintu.evaluation.facts import unit_data
from satupintu.evaluation.models import (
    PekpppAspect,
    PekpppEvidence,
    PekpppIndicator,
    PekpppInstrument,
    PekpppScore,
    PekpppWorksheet,
)
from satupintu.evaluation.policies import check_evaluate

#: PEKPPP started in 2017 (PermenPANRB 17/2017, domain.md §4); next year may be prepared ahead.
FIRST_YEAR = 2017
DEFAULT_INSTRUMENT = "pekppp-2023"
SCORE_MIN, SCORE_MAX = Decimal(0), Decimal(5)  # domain.md §4.1: each indicator scored 0–5


def _percent(weight: Fraction) -> Decimal:
    return (Decimal(weight.numerator) * 100 / Decimal(weight.denominator)).quantize(Decimal("0.01"))


@transaction.atomic
def instrument_load_default(*, actor: Any) -> tuple[PekpppInstrument, bool]:
    """Store the 2023–2025 instrument of domain.indices.PEKPPP_2023 (once); (it, created)."""
    found = PekpppInstrument.objects.filter(code=DEFAULT_INSTRUMENT).first()
    if found is not None:
        return found, False
    instrument = PekpppInstrument.objects.create(
        code=DEFAULT_INSTRUMENT, name=PEKPPP_2023.name, source=PEKPPP_2023.source
    )
    structure = []
    for a_pos, aspect in enumerate(PEKPPP_2023.aspects, start=1):
        row = PekpppAspect.objects.create(
            instrument=instrument,
            code=aspect.code,
            name=aspect.name,
            weight=_percent(aspect.weight),
            position=a_pos,
        )
        for i_pos, indicator in enumerate(aspect.indicators, start=1):
            PekpppIndicator.objects.create(
                aspect=row,
                code=indicator.code,
                name=indicator.name,
                weight=_percent(indicator.weight),
                position=i_pos,
                prefill=DEFAULT_SOURCES.get(indicator.code, ""),
            )
            structure.append([aspect.code, indicator.code, str(_percent(indicator.weight))])
    audit.record(
        chain=f"pekpppinstrument:{instrument.pk}",
        actor=actor,
        action="create",
        object_type="pekpppinstrument",
        object_id=instrument.pk,
        after={"code": instrument.code, "name": instrument.name, "indicators": structure},
        new_chain=True,
    )
    return instrument, True


def current_instrument() -> PekpppInstrument | None:
    """The instrument new worksheets use: the newest active one."""
    return PekpppInstrument.objects.filter(is_active=True).order_by("-pk").first()


def _check_year(year: int) -> None:
    last = workcal.today().year + 1
    if not FIRST_YEAR <= year <= last:
        raise InvalidInput(
            _("Tahun evaluasi harus antara %(first)s dan %(last)s.")
            % {"first": FIRST_YEAR, "last": last},
            fields={"year": _("Tahun di luar jangkauan.")},
        )


def suggestions(worksheet: PekpppWorksheet) -> dict[int, int | None]:
    """indicator id → the score the system suggests for it (None: no suggestion)."""
    indicators = PekpppIndicator.objects.filter(aspect__instrument_id=worksheet.instrument_id)
    data = unit_data(worksheet.unit_id, worksheet.year, today=workcal.today())
    return {i.pk: suggest(i.prefill, data) if i.prefill else None for i in indicators}


@transaction.atomic
def worksheet_open(*, actor: Any, unit: Agency | int | str, year: int) -> PekpppWorksheet:
    """The unit's worksheet for ``year``, created (with the system's suggestions) if new."""
    found = service_unit(unit)
    check_evaluate(actor, found.pk)
    _check_year(year)
    Agency.objects.select_for_update().filter(pk=found.pk).first()  # one creator at a time
    existing = PekpppWorksheet.objects.filter(unit=found, year=year).first()
    if existing is not None:
        return existing
    instrument = current_instrument() or instrument_load_default(actor=actor)[0]
    worksheet = PekpppWorksheet.objects.create(
        unit=found, year=year, instrument=instrument, updated_by=_user(actor)
    )
    suggested = suggestions(worksheet)
    PekpppScore.objects.bulk_create(
        PekpppScore(
            worksheet=worksheet,
            indicator_id=pk,
            score=None if value is None else Decimal(value),
            from_system=value is not None,
        )
        for pk, value in suggested.items()
    )
    codes = dict(PekpppIndicator.objects.filter(pk__in=suggested).values_list("pk", "code"))
    audit.record(
        chain=worksheet.audit_chain,
        actor=actor,
        action="create",
        object_type="pekpppworksheet",
        object_id=worksheet.pk,
        after={
            "unit": found.code,
            "year": year,
            "instrument": instrument.code,
            "suggested": {codes[pk]: v for pk, v in suggested.items() if v is not None},
        },
        new_chain=True,
    )
    return worksheet


@dataclass
class Entry:
    """What the evaluator entered for one indicator."""

    score: Decimal | None = None
    note: str = ""
    files: list[tuple[str, IO[bytes]]] = field(default_factory=list)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _score(value: Decimal | None, code: str) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value)
        valid = number.is_finite() and number == number.quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        valid = False
    if not valid or not SCORE_MIN <= number <= SCORE_MAX:
        raise InvalidInput(
            _("Nilai %(code)s harus angka 0 sampai 5 (paling banyak dua desimal).")
            % {"code": code},
            fields={f"score_{code}": _("Angka 0 sampai 5.")},
        )
    return number.quantize(Decimal("0.01"))


def _clean_entries(
    entries: Mapping[str, Entry],
) -> dict[str, tuple[Decimal | None, str, list[CleanFile]]]:
    out = {}
    for code, entry in entries.items():
        note = clean_text(
            entry.note, field=f"note_{code}", label=_("Catatan %(code)s") % {"code": code}
        )
        try:
            files = clean_files(entry.files)
        except InvalidInput as exc:
            # The same refusal, placed next to this indicator's upload field.
            exc.fields = {f"evidence_{code}": text for text in exc.fields.values()}
            raise
        out[code] = (_score(entry.score, code), note, files)
    return out


def _store_evidence(
    worksheet: PekpppWorksheet, indicator: PekpppIndicator, files: list[CleanFile], actor: Any
) -> list[PekpppEvidence]:
    return [
        keep(
            PekpppEvidence(worksheet=worksheet, indicator=indicator),
            clean,
            by=_user(actor),
            at=timezone.now(),
        )
        for clean in files
    ]


def _lock(worksheet_id: int, expected_version: int | None) -> PekpppWorksheet:
    worksheet = PekpppWorksheet.objects.select_for_update().filter(pk=worksheet_id).first()
    if worksheet is None:
        raise NotFound(_("Lembar kerja tidak ditemukan."))
    check_version(worksheet, expected_version)
    return worksheet


def _rows(worksheet: PekpppWorksheet) -> dict[str, PekpppScore]:
    """The worksheet's score rows by indicator code, with a row for any indicator added later."""
    indicators = PekpppIndicator.objects.filter(aspect__instrument_id=worksheet.instrument_id)
    existing = {row.indicator_id: row for row in PekpppScore.objects.filter(worksheet=worksheet)}
    rows = {}
    for indicator in indicators:
        row = existing.get(indicator.pk) or PekpppScore(worksheet=worksheet, indicator=indicator)
        row.indicator = indicator
        rows[indicator.code] = row
    return rows


def _finish(
    worksheet: PekpppWorksheet,
    actor: Any,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> PekpppWorksheet:
    worksheet.version += 1
    worksheet.updated_by = _user(actor)
    worksheet.save(update_fields=["version", "updated_by", "updated_at"])
    audit.record(
        chain=worksheet.audit_chain,
        actor=actor,
        action=action,
        object_type="pekpppworksheet",
        object_id=worksheet.pk,
        before=before,
        after=after,
    )
    return worksheet


@transaction.atomic
def worksheet_save(
    *,
    actor: Any,
    worksheet_id: int,
    entries: Mapping[str, Entry],
    expected_version: int | None = None,
) -> PekpppWorksheet:
    """Scores (0–5), notes and evidence files for the worksheet's indicators, by code.

    Nothing is stored when any entry is refused. A score left as the system suggested it keeps
    its "from the system" mark; a changed one is the evaluator's.
    """
    cleaned = _clean_entries(entries)
    worksheet = _lock(worksheet_id, expected_version)
    check_evaluate(actor, worksheet.unit_id)
    rows = _rows(worksheet)
    unknown = sorted(set(cleaned) - set(rows))
    if unknown:
        raise InvalidInput(
            _("Indikator tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)},
            detail=f"unknown indicators {unknown}",
        )
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for code, (score, note, files) in cleaned.items():
        row = rows[code]
        if row.pk is None or score != row.score or note != row.note:
            before[code] = [row.score, row.note] if row.pk else None
            row.from_system = row.from_system and score == row.score
            row.score, row.note = score, note
            row.save()
            after[code] = [score, note]
        if files:
            stored = _store_evidence(worksheet, row.indicator, files, actor)
            after.setdefault("evidence", {})[code] = [
                [e.original_name, e.sha256, e.size] for e in stored
            ]
    if not after:
        return worksheet
    return _finish(worksheet, actor, "score", before, after)


@transaction.atomic
def worksheet_prefill(
    *, actor: Any, worksheet_id: int, expected_version: int | None = None
) -> tuple[PekpppWorksheet, int]:
    """Refresh the system's suggestions on the indicators nobody has scored by hand."""
    worksheet = _lock(worksheet_id, expected_version)
    check_evaluate(actor, worksheet.unit_id)
    suggested = suggestions(worksheet)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for code, row in _rows(worksheet).items():
        value = suggested.get(row.indicator.pk)
        if value is None or not (row.from_system or row.score is None):
            continue
        if row.pk is not None and row.score == Decimal(value):
            continue
        before[code] = None if row.score is None else row.score
        row.score, row.from_system = Decimal(value), True
        row.save()
        after[code] = row.score
    if not after:
        return worksheet, 0
    return _finish(worksheet, actor, "prefill", before, after), len(after)


@transaction.atomic
def evidence_delete(*, actor: Any, worksheet_id: int, evidence_id: int) -> None:
    worksheet = _lock(worksheet_id, None)
    check_evaluate(actor, worksheet.unit_id)
    evidence = (
        PekpppEvidence.objects.filter(worksheet=worksheet, pk=evidence_id)
        .select_related("indicator")
        .first()
    )
    if evidence is None:
        raise NotFound(_("Bukti dukung tidak ditemukan."))
    removed = {evidence.indicator.code: [evidence.original_name, evidence.sha256, evidence.size]}
    name = evidence.file.name
    evidence.delete()
    # The file goes once the deletion is committed, never while it could still roll back.
    storage = evidence.file.storage
    transaction.on_commit(lambda: storage.delete(name))
    _finish(worksheet, actor, "evidence_delete", {"evidence": removed}, {})
