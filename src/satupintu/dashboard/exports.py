"""The operations room's tables as CSV and XLSX: the same figures as the page, per panel.

Only figures: names of agencies, categories and places with counts and shares. No report is
read, so no reporter identity and no text of a confidential report can appear.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.agencies import calendar as workcal
from satupintu.dashboard import selectors
from satupintu.domain.dashboard import rising_categories

#: The panels with a table, and their titles.
PANELS: dict[str, Any] = {
    "ringkasan": gettext_lazy("Laporan masuk"),
    "status": gettext_lazy("Laporan berjalan per status"),
    "sla": gettext_lazy("Kepatuhan waktu per instansi"),
    "durasi": gettext_lazy("Lama penanganan per instansi"),
    "salah-pintu": gettext_lazy("Pintu yang salah per instansi"),
    "kelurahan": gettext_lazy("Laporan per kelurahan"),
    "tren": gettext_lazy("Tren 12 bulan"),
    "naik": gettext_lazy("Kategori yang naik"),
    "penilaian": gettext_lazy("Penilaian pelapor per instansi"),
}


@dataclass(frozen=True)
class Table:
    panel: str
    title: str
    headers: list[str]
    rows: list[list[Any]]


def gather(
    filters: selectors.Filters, scope: selectors.Scope, *, today: dt.date | None = None
) -> dict[str, Any]:
    """Every panel's selector result (what the page shows)."""
    today = today or workcal.today()
    return {
        "headline": selectors.headline(filters, scope, today=today),
        "backlog": selectors.backlog(filters, scope, today=today),
        "sla": selectors.sla_by_agency(filters, scope, today=today),
        "durations": selectors.durations_by_agency(filters, scope),
        "wrong_doors": selectors.wrong_doors_by_agency(filters, scope),
        "trend": selectors.monthly_trend(filters, scope),
        "rising": rising_categories(selectors.rising_counts(filters, scope, today=today)),
        "ratings": selectors.ratings_by_agency(filters, scope),
    }


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def table(panel: str, filters: selectors.Filters, scope: selectors.Scope) -> Table:
    today = workcal.today()
    title = str(PANELS[panel])
    if panel == "ringkasan":
        h = selectors.headline(filters, scope, today=today)
        rows = [
            [
                label,
                s.start,
                s.end,
                s.current,
                s.previous_start,
                s.previous_end,
                s.previous,
                s.change,
            ]
            for label, s in (
                (_("Hari ini"), h.today),
                (_("Minggu ini"), h.week),
                (_("Bulan ini"), h.month),
            )
        ]
        headers = [
            _("Periode"),
            _("Dari"),
            _("Sampai"),
            _("Laporan"),
            _("Pembanding dari"),
            _("Pembanding sampai"),
            _("Laporan pembanding"),
            _("Selisih"),
        ]
    elif panel == "status":
        b = selectors.backlog(filters, scope, today=today)
        rows = [[s.label, s.reports, s.overdue] for s in b.statuses]
        rows.append([_("Jumlah"), b.total, b.overdue])
        headers = [_("Status"), _("Laporan"), _("Terlambat")]
    elif panel == "sla":
        rows = [
            [
                a.name,
                a.received,
                a.resolved,
                a.resolved_on_time,
                _share(a.resolved_on_time, a.resolved),
                _round(None if a.ranking_score is None else 100 * a.ranking_score),
                a.followed_up,
                a.followed_up_on_time,
                _share(a.followed_up_on_time, a.followed_up),
                a.open,
                a.overdue,
            ]
            for a in selectors.sla_by_agency(filters, scope, today=today)
        ]
        headers = [
            _("Instansi"),
            _("Diterima"),
            _("Selesai"),
            _("Selesai tepat waktu"),
            _("Tepat waktu (%)"),
            _("Batas bawah Wilson (%)"),
            _("Ditindaklanjuti"),
            _("Tindak lanjut tepat waktu"),
            _("Tindak lanjut tepat waktu (%)"),
            _("Berjalan"),
            _("Terlambat"),
        ]
    elif panel == "durasi":
        rows = [
            [
                d.name,
                d.followup.count,
                d.followup.median,
                d.followup.p90,
                d.resolution.count,
                d.resolution.median,
                d.resolution.p90,
            ]
            for d in selectors.durations_by_agency(filters, scope)
        ]
        headers = [
            _("Instansi"),
            _("Tindak lanjut (n)"),
            _("Tindak lanjut median"),
            _("Tindak lanjut p90"),
            _("Selesai (n)"),
            _("Selesai median"),
            _("Selesai p90"),
        ]
    elif panel == "salah-pintu":
        rows = [
            [w.name, w.tally.hops, w.tally.returned, w.tally.forwarded, w.tally.days_lost]
            for w in selectors.wrong_doors_by_agency(filters, scope)
        ]
        headers = [
            _("Instansi"),
            _("Salah pintu"),
            _("Dikembalikan"),
            _("Diteruskan"),
            _("Hari kerja hilang"),
        ]
    elif panel == "kelurahan":
        rows = [
            [a.kelurahan, a.name, a.kecamatan, a.reports, a.open]
            for a in selectors.reports_by_kelurahan(filters, scope)
        ]
        headers = [
            _("Kode"),
            _("Kelurahan"),
            _("Kode kecamatan"),
            _("Laporan"),
            _("Masih berjalan"),
        ]
    elif panel == "tren":
        rows = [
            [
                p.month.strftime("%Y-%m"),
                p.reports,
                p.resolved,
                p.resolved_on_time,
                _share(p.resolved_on_time, p.resolved),
                p.rated,
                _round(p.mean_rating, 2),
            ]
            for p in selectors.monthly_trend(filters, scope)
        ]
        headers = [
            _("Bulan"),
            _("Laporan"),
            _("Selesai"),
            _("Selesai tepat waktu"),
            _("Tepat waktu (%)"),
            _("Dinilai"),
            _("Rata-rata penilaian"),
        ]
    elif panel == "naik":
        rows = [
            [
                r.label,
                r.current,
                _round(r.baseline_mean, 1),
                _round(r.ratio, 2),
                round(r.adjusted_p_value, 4),
            ]
            for r in rising_categories(selectors.rising_counts(filters, scope, today=today))
        ]
        headers = [
            _("Kategori"),
            _("Minggu ini"),
            _("Rata-rata 8 minggu"),
            _("Rasio"),
            _("Nilai p (Holm)"),
        ]
    else:  # penilaian
        rows = [
            [r.name, r.rated, _round(r.mean, 2)]
            for r in selectors.ratings_by_agency(filters, scope)
        ]
        headers = [_("Instansi"), _("Dinilai"), _("Rata-rata penilaian")]
    return Table(panel, title, [str(h) for h in headers], rows)


def _cell(value: Any) -> Any:
    return "" if value is None else value


def as_csv(t: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(t.headers)
    for row in t.rows:
        writer.writerow([v.isoformat() if isinstance(v, dt.date) else _cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: spreadsheets read UTF-8


def as_xlsx(t: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101
    sheet.title = t.panel[:31]
    sheet.append(t.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in t.rows:
        sheet.append([_cell(v) for v in row])
    for i, header in enumerate(t.headers, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(12, len(header) + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def response(t: Table, fmt: str, filters: selectors.Filters) -> HttpResponse:
    name = f"ruang-kendali-{t.panel}-{filters.start.isoformat()}-{filters.end.isoformat()}.{fmt}"
    if fmt == "csv":
        resp = HttpResponse(as_csv(t), content_type="text/csv; charset=utf-8")
    else:
        resp = HttpResponse(as_xlsx(t), content_type=XLSX)
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp
