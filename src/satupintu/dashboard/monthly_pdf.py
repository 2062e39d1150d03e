"""The operations room's monthly report for the leadership meeting: an A4 PDF (ReportLab).

:func:`monthly_pdf` lays out, for one month and one :class:`~satupintu.dashboard.selectors.Scope`
(the whole Pemda or an agency with its units), the figures of the operations room read from the
stored rollups (dashboard/selectors.py): reports received against the month before, the backlog
by status (as it stands when the PDF is made), SLA compliance per agency ranked by the Wilson
lower bound, median and p90 working days, wrong-door hops and days lost, rising categories and
reporters' ratings, with two bar charts in the Okabe-Ito palette. Aggregates only: no report
text and no reporter appears. Fonts and the page footer follow the SKM report (surveys/pdf.py).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from satupintu.agencies import calendar as workcal
from satupintu.agencies.models import Agency
from satupintu.dashboard import selectors
from satupintu.dashboard.selectors import CITY, Filters, Scope
from satupintu.domain.dashboard import OKABE_ITO, rising_categories
from satupintu.surveys.pdf import FONT, _fonts, _Numbered, _styles, _table

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
#: agencies drawn in a chart (the tables list them all)
CHART_ROWS = 12


def month_name(month: dt.date) -> str:
    """``November 2026``: Indonesian month names (the meeting's language)."""
    return f"{MONTHS[month.month - 1]} {month.year}"


def agency_scope(agency: Agency) -> Scope:
    """An agency with every unit below it."""
    ids = {agency.pk}
    frontier = {agency.pk}
    while frontier:
        frontier = (
            set(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        )
        ids |= frontier
    return Scope(frozenset(ids))


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _change(current: int, previous: int) -> str:
    diff = current - previous
    sign = "+" if diff > 0 else ""
    share = f" ({sign}{100 * diff / previous:.0f}%)" if previous else ""
    return f"{sign}{diff}{share}"


def _days(value: int | None) -> str:
    return "–" if value is None else str(value)


def _bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float], colour: str, *, unit: str = ""
) -> Drawing:
    """A horizontal bar chart, one bar per label (top to bottom as given)."""
    width, row = 17 * cm, 0.55 * cm
    height = max(len(labels), 1) * row + 1.6 * cm
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 0.45 * cm, title, fontName=FONT, fontSize=9))
    chart = HorizontalBarChart()
    chart.x, chart.y = 6.2 * cm, 0.6 * cm
    chart.width, chart.height = width - 7.2 * cm, height - 1.5 * cm
    # ReportLab draws the first category at the bottom: reverse to read top-down.
    chart.data = [list(reversed([float(v) for v in values])) or [0.0]]
    chart.categoryAxis.categoryNames = [
        (label if len(label) <= 34 else label[:33] + "…") for label in reversed(labels)
    ] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max([float(v) for v in values] or [0.0])
    if unit == "%":
        chart.valueAxis.valueMax = 100
        chart.valueAxis.valueStep = 20
    elif top <= 0:
        chart.valueAxis.valueMax = 1
    chart.valueAxis.labelTextFormat = "%d" + unit
    chart.bars[0].fillColor = colors.HexColor(colour)
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%.0f" + unit
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def _headline(month: dt.date, scope: Scope, s: dict[str, Any]) -> list[Any]:
    previous, current = selectors.monthly_trend(Filters.month(month), scope, months=2)
    rows: list[list[Any]] = [
        [
            _("Angka"),
            month_name(current.month),
            month_name(previous.month),
            _("Perubahan"),
        ],
        [
            _("Laporan masuk"),
            current.reports,
            previous.reports,
            _change(current.reports, previous.reports),
        ],
        [
            _("Laporan selesai"),
            current.resolved,
            previous.resolved,
            _change(current.resolved, previous.resolved),
        ],
        [
            _("Selesai tepat waktu"),
            _pct(current.resolved_on_time, current.resolved),
            _pct(previous.resolved_on_time, previous.resolved),
            "",
        ],
        [
            _("Tindak lanjut pertama tepat waktu"),
            _pct(current.followed_up_on_time, current.followed_up),
            _pct(previous.followed_up_on_time, previous.followed_up),
            "",
        ],
        [
            _("Nilai rata-rata pelapor (1–5)"),
            f"{current.mean_rating:.2f}" if current.mean_rating is not None else "–",
            f"{previous.mean_rating:.2f}" if previous.mean_rating is not None else "–",
            "",
        ],
    ]
    return [
        Paragraph(_("1. Angka utama"), s["h2"]),
        _table(rows, [6.6 * cm, 3.4 * cm, 3.4 * cm, 3.6 * cm], numeric=(1, 2, 3)),
        Spacer(1, 3),
        Paragraph(
            _(
                "Laporan dihitung menurut tanggal diterima; selesai dan tepat waktu dari "
                "laporan itu."
            ),
            s["small"],
        ),
    ]


def _backlog(scope: Scope, today: dt.date, s: dict[str, Any]) -> list[Any]:
    backlog = selectors.backlog(Filters.month(today), scope, today=today)
    rows: list[list[Any]] = [[_("Status"), _("Laporan terbuka"), _("Lewat tenggat")]]
    rows += [[st.label, st.reports, st.overdue] for st in backlog.statuses]
    rows.append([_("Jumlah"), backlog.total, backlog.overdue])
    return [
        Paragraph(_("2. Laporan terbuka menurut status"), s["h2"]),
        Paragraph(
            _("Keadaan pada %(date)s, kapan pun laporan diterima.") % {"date": f"{today:%d-%m-%Y}"},
            s["small"],
        ),
        Spacer(1, 3),
        _table(rows, [9 * cm, 4 * cm, 4 * cm], numeric=(1, 2), total_row=True),
    ]


def _sla(filters: Filters, scope: Scope, today: dt.date, s: dict[str, Any]) -> list[Any]:
    sla = selectors.sla_by_agency(filters, scope, today=today)
    rows: list[list[Any]] = [
        [
            _("Peringkat"),
            _("Instansi"),
            _("Masuk"),
            _("Selesai"),
            _("Tepat waktu"),
            _("Terbuka"),
            _("Lewat tenggat"),
        ]
    ]
    rank = 0
    for row in sla:
        ranked = row.ranking_score is not None
        rank += ranked
        rows.append(
            [
                rank if ranked else "–",
                Paragraph(escape(row.name), s["cell"]),
                row.received,
                row.resolved,
                _pct(row.resolved_on_time, row.resolved),
                row.open,
                row.overdue,
            ]
        )
    out: list[Any] = [
        Paragraph(_("3. Kepatuhan tenggat per instansi"), s["h2"]),
        Paragraph(
            _(
                "Diurutkan menurut batas bawah Wilson dari bagian tepat waktu, sehingga instansi "
                "dengan sedikit laporan tidak otomatis di atas. Terbuka dan lewat tenggat: "
                "keadaan saat laporan ini dibuat."
            ),
            s["small"],
        ),
        Spacer(1, 3),
        _table(
            rows,
            [1.7 * cm, 6.1 * cm, 1.7 * cm, 1.7 * cm, 2.0 * cm, 1.7 * cm, 2.1 * cm],
            numeric=(0, 2, 3, 4, 5, 6),
        ),
    ]
    charted = [r for r in sla if r.resolved][:CHART_ROWS]
    if charted:
        out += [
            Spacer(1, 6),
            _bar_chart(
                _("Selesai tepat waktu (%)"),
                [r.name for r in charted],
                [100 * r.resolved_on_time / r.resolved for r in charted],
                OKABE_ITO["blue"],
                unit="%",
            ),
        ]
    return out


def _durations(filters: Filters, scope: Scope, s: dict[str, Any]) -> list[Any]:
    rows: list[list[Any]] = [
        [
            _("Instansi"),
            _("Tindak lanjut: median"),
            _("p90"),
            _("Penyelesaian: median"),
            _("p90"),
        ]
    ]
    for row in selectors.durations_by_agency(filters, scope):
        rows.append(
            [
                Paragraph(escape(row.name), s["cell"]),
                _days(row.followup.median),
                _days(row.followup.p90),
                _days(row.resolution.median),
                _days(row.resolution.p90),
            ]
        )
    return [
        Paragraph(_("4. Lama penanganan (hari kerja)"), s["h2"]),
        Paragraph(
            _(
                "Tindak lanjut: dari disposisi pertama sampai tindak lanjut pertama. "
                "Penyelesaian: dari laporan diterima sampai jawaban."
            ),
            s["small"],
        ),
        Spacer(1, 3),
        _table(rows, [6.6 * cm, 2.6 * cm, 2.6 * cm, 2.6 * cm, 2.6 * cm], numeric=(1, 2, 3, 4)),
    ]


def _wrong_doors(filters: Filters, scope: Scope, s: dict[str, Any]) -> list[Any]:
    doors = selectors.wrong_doors_by_agency(filters, scope)
    out: list[Any] = [Paragraph(_("5. Salah alamat (laporan dialihkan)"), s["h2"])]
    if not doors:
        out.append(Paragraph(_("Tidak ada laporan yang dialihkan bulan ini."), s["body"]))
        return out
    rows: list[list[Any]] = [
        [_("Instansi"), _("Pengalihan"), _("Dikembalikan"), _("Diteruskan"), _("Hari hilang")]
    ]
    for row in doors:
        t = row.tally
        rows.append(
            [Paragraph(escape(row.name), s["cell"]), t.hops, t.returned, t.forwarded, t.days_lost]
        )
    out += [
        _table(rows, [6.6 * cm, 2.6 * cm, 2.6 * cm, 2.6 * cm, 2.6 * cm], numeric=(1, 2, 3, 4)),
        Spacer(1, 6),
        _bar_chart(
            _("Hari kerja hilang di instansi yang salah"),
            [r.name for r in doors[:CHART_ROWS]],
            [r.tally.days_lost for r in doors[:CHART_ROWS]],
            OKABE_ITO["vermillion"],
        ),
    ]
    return out


def _rising(filters: Filters, scope: Scope, today: dt.date, s: dict[str, Any]) -> list[Any]:
    rising = rising_categories(selectors.rising_counts(filters, scope, today=today))
    out: list[Any] = [
        Paragraph(_("6. Kategori yang meningkat"), s["h2"]),
        Paragraph(
            _(
                "Minggu yang berakhir %(date)s dibanding rata-rata 8 minggu sebelumnya (uji "
                "binomial dengan koreksi Holm, sehingga naik-turun biasa tidak ditandai)."
            )
            % {"date": f"{today:%d-%m-%Y}"},
            s["small"],
        ),
        Spacer(1, 3),
    ]
    if not rising:
        out.append(Paragraph(_("Tidak ada kategori yang meningkat secara berarti."), s["body"]))
        return out
    rows: list[list[Any]] = [[_("Kategori"), _("Minggu ini"), _("Rata-rata 8 minggu"), _("Rasio")]]
    for item in rising[:10]:
        ratio = f"{item.ratio:.1f}×" if item.ratio is not None else _("baru")
        rows.append(
            [
                Paragraph(escape(item.label), s["cell"]),
                item.current,
                f"{item.baseline_mean:.1f}",
                ratio,
            ]
        )
    out.append(_table(rows, [8 * cm, 3 * cm, 3.5 * cm, 2.5 * cm], numeric=(1, 2, 3)))
    return out


def _ratings(filters: Filters, scope: Scope, s: dict[str, Any]) -> list[Any]:
    ratings = selectors.ratings_by_agency(filters, scope)
    out: list[Any] = [Paragraph(_("7. Penilaian pelapor"), s["h2"])]
    if not ratings:
        out.append(Paragraph(_("Belum ada penilaian pelapor bulan ini."), s["body"]))
        return out
    rows: list[list[Any]] = [[_("Instansi"), _("Penilaian"), _("Rata-rata (1–5)")]]
    for row in ratings:
        rows.append(
            [
                Paragraph(escape(row.name), s["cell"]),
                row.rated,
                f"{row.mean:.2f}" if row.mean is not None else "–",
            ]
        )
    out.append(_table(rows, [10 * cm, 3 * cm, 4 * cm], numeric=(1, 2)))
    return out


def monthly_pdf(
    month: dt.date,
    scope: Scope = CITY,
    *,
    pemda: str = "",
    scope_name: str = "",
    generated_at: dt.datetime | None = None,
) -> bytes:
    """The monthly report of ``month`` (any day of it) for ``scope`` as A4 PDF bytes.

    ``pemda`` defaults to the name of the root agency; ``scope_name`` names an agency scope in
    the title. Figures of a month in progress run up to today."""
    _fonts()
    s = _styles()
    month = month.replace(day=1)
    if not pemda:
        root = Agency.objects.filter(kind=Agency.Kind.PEMDA, parent=None).order_by("pk").first()
        pemda = root.name if root else ""
    today = workcal.today()
    filters = Filters.month(month)
    if filters.end > today >= filters.start:
        filters = Filters(start=filters.start, end=today)
    # Rising categories: the last week of the month (or this week, for the current month).
    rising_day = min(filters.end, today)
    generated = timezone.localtime(generated_at or timezone.now())
    title = _("Laporan Bulanan Ruang Kendali")
    subtitle = " · ".join(p for p in (pemda, scope_name, month_name(month)) if p)
    story: list[Any] = [
        Paragraph(escape(title), s["title"]),
        Paragraph(escape(subtitle), s["subtitle"]),
        Paragraph(
            escape(
                _("Laporan diterima %(start)s sampai %(end)s. Hanya angka agregat.")
                % {"start": f"{filters.start:%d-%m-%Y}", "end": f"{filters.end:%d-%m-%Y}"}
            ),
            s["small"],
        ),
        Spacer(1, 6),
    ]
    story += _headline(month, scope, s)
    story += _backlog(scope, today, s)
    story += _sla(filters, scope, today, s)
    story += [KeepTogether(_durations(filters, scope, s))]
    story += _wrong_doors(filters, scope, s)
    story += [KeepTogether(_rising(filters, scope, rising_day, s))]
    story += [KeepTogether(_ratings(filters, scope, s))]

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=2 * cm,
        title=f"{title} {month_name(month)}",
        author=pemda,
        subject=subtitle,
    )
    canvas = type(
        "Canvas",
        (_Numbered,),
        {
            "footer": f"{subtitle} · "
            + _("dibuat %(when)s") % {"when": f"{generated:%d-%m-%Y %H:%M}"}
        },
    )
    doc.build(story, canvasmaker=canvas)
    return out.getvalue()


__all__ = ["MONTHS", "agency_scope", "month_name", "monthly_pdf"]
