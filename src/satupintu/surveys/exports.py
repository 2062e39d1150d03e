"""The SKM results of a period as an XLSX workbook (openpyxl), from ``selectors.PeriodReport``.

Figures are written as numbers (rounded as the report shows them: NRR and IKM to 2 dp, half up)
so that they can be summed and charted; labels follow the active language.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from satupintu.domain.indices import IkmResult, round_to
from satupintu.surveys.models import Element
from satupintu.surveys.selectors import PeriodReport
from satupintu.surveys.templatetags.skm import grade_label

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="0B5C6B")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TWO_DP = "0.00"


def figure(value: Fraction | None, places: int = 2) -> Decimal | None:
    """An exact figure as the report prints it (half up)."""
    return None if value is None else round_to(value, places)


def _header(sheet: Worksheet, titles: Sequence[str]) -> None:
    sheet.append(list(titles))
    for cell in sheet[sheet.max_row]:
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{sheet.max_row + 1}"


def _widths(sheet: Worksheet, widths: Iterable[int]) -> None:
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _number_format(sheet: Worksheet, columns: Iterable[int], first_row: int) -> None:
    for column in columns:
        for row in range(first_row, sheet.max_row + 1):
            sheet.cell(row=row, column=column).number_format = TWO_DP


def _grade(result: IkmResult | None) -> tuple[Any, Any]:
    if result is None:
        return None, None
    return result.grade.code, grade_label(result.grade.code)


def _summary(sheet: Worksheet, report: PeriodReport) -> None:
    period = report.period
    sheet.title = _("Ringkasan")
    code, label = _grade(report.overall)
    rows: list[tuple[str, Any]] = [
        (_("Survei Kepuasan Masyarakat"), period.name),
        (_("Masa survei"), f"{period.starts_on:%d-%m-%Y} – {period.ends_on:%d-%m-%Y}"),
        (_("Status"), period.get_state_display()),
        (_("Dasar"), "PermenPANRB 14/2017"),
        (_("Unit layanan"), len(report.units)),
        (_("Responden"), report.respondents),
        (_("Target sampel (Krejcie–Morgan)"), report.target or None),
        (_("IKM"), figure(report.overall.value) if report.overall else None),
        (_("Mutu pelayanan"), code),
        (_("Kinerja unit pelayanan"), label),
        (_("Saran dan masukan tertulis"), report.suggestions),
        (_("Pengaduan selesai yang dinilai pelapor"), report.ratings.count),
        (_("Rata-rata penilaian pelapor (1–5)"), figure(report.ratings.mean)),
        (_("Tindak lanjut selesai"), f"{report.follow_ups_done}/{len(report.follow_ups)}"),
        (_("Dibuat"), timezone.localtime().strftime("%d-%m-%Y %H:%M")),
    ]
    for row in rows:
        sheet.append(list(row))
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    for ref in ("B8", "B13"):
        sheet[ref].number_format = TWO_DP
    _widths(sheet, (42, 48))


def _elements(sheet: Worksheet, report: PeriodReport) -> None:
    sheet.title = _("Unsur")
    _header(
        sheet,
        [
            _("Kode"),
            _("Unsur"),
            _("Responden menjawab"),
            _("Jumlah nilai"),
            _("NRR"),
            _("NRR × 25"),
            _("Mutu"),
            _("Kinerja"),
        ],
    )
    result = report.overall
    if result is None:
        sheet.append([_("Belum ada hasil: %(reason)s") % {"reason": report.overall_problem}])
        return
    for element, (_value, name) in zip(result.elements, Element.choices, strict=True):
        sheet.append(
            [
                element.code,
                str(name).split(" ", 1)[1],
                element.answered,
                element.total,
                figure(element.nrr),
                figure(element.converted),
                element.grade.code,
                grade_label(element.grade.code),
            ]
        )
    sheet.append([])
    sheet.append(["", _("NRR tertimbang"), None, None, figure(result.weighted_nrr, 3)])
    sheet.append(["", _("IKM"), None, None, None, figure(result.value), *_grade(result)])
    if report.ratings.count:
        sheet.append([])
        sheet.append(
            [
                "U9",
                _("Penilaian pelapor atas pengaduan yang selesai (1–5)"),
                report.ratings.count,
                report.ratings.total,
                figure(report.ratings.mean),
            ]
        )
    _number_format(sheet, (5, 6), 2)
    _widths(sheet, (8, 44, 12, 12, 10, 10, 8, 14))


def _units(sheet: Worksheet, report: PeriodReport) -> None:
    sheet.title = _("Unit")
    codes = [code.upper() for code in Element.values]
    _header(
        sheet,
        [
            _("Kode unit"),
            _("Unit layanan"),
            _("Populasi"),
            _("Target sampel"),
            _("Responden"),
            *[f"NRR {code}" for code in codes],
            _("IKM"),
            _("Mutu"),
            _("Kinerja"),
            _("Pengaduan dinilai"),
            _("Rata-rata penilaian"),
            _("Saran"),
        ],
    )
    for unit in report.units:
        nrr = [figure(e.nrr) for e in unit.result.elements] if unit.result else [None] * 9
        sheet.append(
            [
                unit.code,
                unit.name,
                unit.population,
                unit.target,
                unit.respondents,
                *nrr,
                figure(unit.result.value) if unit.result else None,
                *_grade(unit.result),
                unit.ratings.count,
                figure(unit.ratings.mean),
                unit.totals.suggestions,
            ]
        )
    _number_format(sheet, [*range(6, 16), 19], 2)
    _widths(sheet, (18, 40, 10, 10, 10, *[8] * 9, 8, 6, 12, 10, 10, 8))


def _trend(sheet: Worksheet, report: PeriodReport) -> None:
    sheet.title = _("Tren")
    _header(sheet, [_("Unit layanan"), *[point.name for point in report.trend]])
    sheet.append([_("Seluruh unit (Pemda)"), *[point.value for point in report.trend]])
    for trend in report.unit_trends:
        sheet.append([trend.name, *[figure(r.value) if r else None for r in trend.points]])
    _number_format(sheet, range(2, len(report.trend) + 2), 2)
    _widths(sheet, (40, *[16] * len(report.trend)))


def _profile(sheet: Worksheet, report: PeriodReport) -> None:
    sheet.title = _("Profil responden")
    _header(sheet, [_("Pertanyaan"), _("Jawaban"), _("Responden")])
    for group in report.profile:
        for row in group.rows:
            sheet.append([group.title, row.label, row.count])
    for row in report.channels:
        sheet.append([_("kanal"), row.label, row.count])
    _widths(sheet, (20, 28, 12))


def _follow_ups(sheet: Worksheet, report: PeriodReport) -> None:
    sheet.title = _("Tindak lanjut")
    _header(
        sheet,
        [
            _("Unit layanan"),
            _("Unsur"),
            _("Rencana tindak lanjut"),
            _("Penanggung jawab"),
            _("Target selesai"),
            _("Status"),
            _("Tanggal selesai"),
            _("Hasil"),
        ],
    )
    for item in report.follow_ups:
        sheet.append(
            [
                item.unit.name,
                item.get_element_display(),
                item.action,
                item.owner,
                item.due_on,
                item.get_status_display(),
                item.done_on,
                item.result,
            ]
        )
        for column in (5, 7):
            sheet.cell(row=sheet.max_row, column=column).number_format = "dd-mm-yyyy"
    _widths(sheet, (32, 28, 48, 24, 12, 16, 12, 40))


def report_xlsx(report: PeriodReport) -> bytes:
    """The workbook: summary, unsur, units, trend, respondent profile, follow-up actions."""
    book = Workbook()
    first = book.active if isinstance(book.active, Worksheet) else book.create_sheet()
    _summary(first, report)
    for writer in (_elements, _units, _trend, _profile, _follow_ups):
        writer(book.create_sheet(), report)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
