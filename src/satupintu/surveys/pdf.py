"""PDF documents of the SKM (ReportLab): the report of a period, laid out as an SKM report
(method, sample, results per unsur, IKM and mutu, suggestions, follow-up plan), and the QR sheet
to print for each unit's counter.

Text uses the Bitstream Vera fonts that ship inside ReportLab (embedded, so the PDF reads the
same everywhere and its text can be extracted); nothing is fetched at run time.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
import segno
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from satupintu.domain.indices import IKM_CATEGORIES, round_to
from satupintu.surveys import selectors
from satupintu.surveys.models import SurveyPeriod
from satupintu.surveys.selectors import PeriodReport
from satupintu.surveys.templatetags.skm import grade_label

#: Suggestions quoted in the report, most often written first (the rest are counted per unit).
SUGGESTIONS_LISTED = 25
SUGGESTION_CHARS = 400

FONT = "SkmSans"
FONT_BOLD = "SkmSans-Bold"
BRAND = colors.HexColor("#0B5C6B")
LINE = colors.HexColor("#C9D1D8")
SHADE = colors.HexColor("#EEF3F5")


def _fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).resolve().parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20, textColor=BRAND
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, leading=15),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=12,
            leading=16,
            spaceBefore=12,
            spaceAfter=5,
            textColor=BRAND,
        ),
        "figure": ParagraphStyle(
            "figure", parent=base, fontName=FONT_BOLD, fontSize=26, leading=30, textColor=BRAND
        ),
    }


def num(value: Fraction | Decimal | int | None, places: int = 2) -> str:
    """A figure rounded half up and written in the active language (84,26 / 84.26)."""
    if value is None:
        return "–"
    return number_format(round_to(Fraction(value), places), places)


def _date(value: Any) -> str:
    return value.strftime("%d-%m-%Y") if value else "–"


def _table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    numeric: Sequence[int] = (),
    total_row: bool = False,
) -> Table:
    header = ParagraphStyle(
        "th", fontName=FONT_BOLD, fontSize=8.5, leading=10.5, textColor=colors.white
    )
    head = [Paragraph(escape(cell), header) if isinstance(cell, str) else cell for cell in rows[0]]
    table = Table([head, *rows[1:]], colWidths=list(widths), repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("BACKGROUND", (0, 0), (-1, 0), BRAND),
        ("GRID", (0, 0), (-1, -1), 0.4, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SHADE]),
    ]
    for column in numeric:
        style.append(("ALIGN", (column, 1), (column, -1), "RIGHT"))
    if total_row:
        style.append(("FONT", (0, -1), (-1, -1), FONT_BOLD, 8.5))
    table.setStyle(TableStyle(style))
    return table


class _Numbered(Canvas):  # type: ignore[misc]  # ReportLab has no type hints
    """A canvas that writes "page n of m" and the document's name at the foot of each page."""

    footer = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.HexColor("#4A5560"))
            self.drawString(2 * cm, 1.2 * cm, self.footer)
            text = _("Halaman %(page)s dari %(total)s") % {"page": self._pageNumber, "total": total}
            self.drawRightString(A4[0] - 2 * cm, 1.2 * cm, text)
            super().showPage()
        super().save()


# --------------------------------------------------------------------------- the report


def _method(report: PeriodReport, s: dict[str, ParagraphStyle]) -> list[Any]:
    period = report.period
    channels = ", ".join(f"{row.label} {row.count}" for row in report.channels) or "–"
    out: list[Any] = [
        Paragraph(_("1. Metode"), s["h2"]),
        Paragraph(
            _(
                "Survei mengikuti PermenPANRB 14/2017. Responden menilai sembilan unsur pelayanan "
                "(U1–U9) dengan skala 1 (tidak baik) sampai 4 (sangat baik). Nilai rata-rata "
                "(NRR) setiap unsur adalah jumlah nilai dibagi jumlah responden yang menjawab "
                "unsur itu. Setiap unsur berbobot sama, 1/9. IKM = NRR tertimbang × 25, sehingga "
                "IKM bernilai 25 sampai 100. IKM gabungan dihitung dari seluruh jawaban, bukan "
                "rata-rata IKM unit."
            ),
            s["body"],
        ),
        Spacer(1, 4),
        Paragraph(
            _(
                "Masa survei %(start)s sampai %(end)s. Jawaban dikumpulkan tanpa nama melalui "
                "formulir web (tautan, kode QR di loket, dan anjungan/kios): %(channels)s."
            )
            % {
                "start": _date(period.starts_on),
                "end": _date(period.ends_on),
                "channels": channels,
            },
            s["body"],
        ),
        Spacer(1, 6),
    ]
    rows: list[list[Any]] = [[_("Mutu"), _("Kinerja unit"), _("Nilai IKM")]]
    upper = IKM_CATEGORIES.maximum
    for band in IKM_CATEGORIES.bands:
        rows.append([band.code, grade_label(band.code), f"{num(band.lower)} – {num(upper)}"])
        upper = band.lower - Decimal("0.01")
    out.append(_table(rows, [2 * cm, 4 * cm, 4 * cm]))
    return out


def _sample(report: PeriodReport, s: dict[str, ParagraphStyle]) -> list[Any]:
    out: list[Any] = [
        Paragraph(_("2. Sampel dan responden"), s["h2"]),
        Paragraph(
            _(
                "Target sampel setiap unit ditentukan dengan tabel Krejcie dan Morgan dari jumlah "
                "penerima layanan unit itu pada periode sebelumnya (populasi)."
            ),
            s["body"],
        ),
        Spacer(1, 5),
    ]
    rows: list[list[Any]] = [
        [_("Unit layanan"), _("Populasi"), _("Target"), _("Responden"), _("Capaian")]
    ]
    for unit in report.units:
        share = f"{num(Fraction(100 * unit.respondents, unit.target), 0)}%" if unit.target else "–"
        rows.append(
            [
                Paragraph(escape(unit.name), s["cell"]),
                unit.population or "–",
                unit.target or "–",
                unit.respondents,
                share,
            ]
        )
    rows.append([_("Jumlah"), "", report.target or "–", report.respondents, ""])
    out.append(
        _table(
            rows,
            [8.4 * cm, 2.2 * cm, 2 * cm, 2.2 * cm, 2.2 * cm],
            numeric=(1, 2, 3, 4),
            total_row=True,
        )
    )
    out.append(Spacer(1, 6))
    # Respondent profile: one small table per question, two side by side.
    tables = [
        _table(
            [[group.title.capitalize(), _("Responden")], *[[r.label, r.count] for r in group.rows]],
            [5.3 * cm, 2.6 * cm],
            numeric=(1,),
        )
        for group in report.profile
        if group.rows
    ]
    if tables:
        pairs = [
            tables[i : i + 2] + [""] * (2 - len(tables[i : i + 2]))
            for i in range(0, len(tables), 2)
        ]
        grid = Table(pairs, colWidths=[8.5 * cm, 8.5 * cm])
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        out.append(KeepTogether([Paragraph(_("Profil responden"), s["body"]), Spacer(1, 3), grid]))
    return out


def _results(report: PeriodReport, s: dict[str, ParagraphStyle]) -> list[Any]:
    out: list[Any] = [Paragraph(_("3. Hasil per unsur"), s["h2"])]
    result = report.overall
    if result is None:
        out.append(Paragraph(_("Belum ada jawaban yang dapat diolah."), s["body"]))
        return out
    rows: list[list[Any]] = [
        [_("Unsur"), _("Menjawab"), _("NRR"), _("NRR × 25"), _("Mutu"), _("Kinerja")]
    ]
    for element in result.elements:
        rows.append(
            [
                Paragraph(f"{element.code} {escape(element.name)}", s["cell"]),
                element.answered,
                num(element.nrr),
                num(element.converted),
                element.grade.code,
                grade_label(element.grade.code),
            ]
        )
    rows.append([_("NRR tertimbang"), "", num(result.weighted_nrr, 3), "", "", ""])
    rows.append(
        [
            _("IKM"),
            result.respondents,
            "",
            num(result.value),
            result.grade.code,
            grade_label(result.grade.code),
        ]
    )
    out.append(
        _table(
            rows,
            [6.8 * cm, 2.3 * cm, 1.8 * cm, 2.1 * cm, 1.4 * cm, 2.6 * cm],
            numeric=(1, 2, 3),
            total_row=True,
        )
    )
    ratings = report.ratings
    if ratings.count:
        note = _(
            "Pembanding U9: %(count)s pengaduan unit-unit ini yang selesai dalam masa survei "
            "dinilai pelapor rata-rata %(mean)s dari 5."
        ) % {"count": ratings.count, "mean": num(ratings.mean)}
    else:
        note = _(
            "Pembanding U9: belum ada pengaduan selesai yang dinilai pelapor dalam masa survei."
        )
    out += [Spacer(1, 4), Paragraph(note, s["small"])]
    weakest = ", ".join(f"{e.code} {e.name} ({num(e.nrr)})" for e in report.weakest)
    out += [
        Spacer(1, 4),
        Paragraph(
            _("Unsur dengan nilai terendah: %(list)s.") % {"list": escape(weakest)}, s["body"]
        ),
    ]
    return out


def _units(report: PeriodReport, s: dict[str, ParagraphStyle]) -> list[Any]:
    out: list[Any] = [Paragraph(_("4. IKM per unit layanan"), s["h2"])]
    rows: list[list[Any]] = [
        [
            _("Unit layanan"),
            _("Responden"),
            _("IKM"),
            _("Mutu"),
            _("Unsur terendah"),
            _("Nilai pelapor"),
        ]
    ]
    for unit in report.units:
        if not unit.respondents:
            continue
        weakest = ", ".join(e.code for e in unit.weakest) or "–"
        rating = f"{num(unit.ratings.mean)} ({unit.ratings.count})" if unit.ratings.count else "–"
        rows.append(
            [
                Paragraph(escape(unit.name), s["cell"]),
                unit.respondents,
                num(unit.result.value) if unit.result else "–",
                f"{unit.result.grade.code} · {grade_label(unit.result.grade.code)}"
                if unit.result
                else Paragraph(_("tidak dapat dihitung"), s["cell"]),
                weakest,
                rating,
            ]
        )
    out.append(
        _table(rows, [5.0 * cm, 2.5 * cm, 1.6 * cm, 2.8 * cm, 2.6 * cm, 2.5 * cm], numeric=(1, 2))
    )
    if len(report.trend) > 1:
        out.append(Spacer(1, 8))
        trend: list[list[Any]] = [[_("Periode"), _("Responden"), _("IKM"), _("Mutu")]]
        for point in report.trend:
            trend.append(
                [
                    point.name,
                    point.respondents,
                    num(point.value),
                    grade_label(point.result.grade.code) if point.result else "–",
                ]
            )
        out.append(Paragraph(_("Tren IKM seluruh unit"), s["body"]))
        out.append(Spacer(1, 3))
        out.append(
            KeepTogether(_table(trend, [7 * cm, 2.5 * cm, 2.5 * cm, 3.5 * cm], numeric=(1, 2)))
        )
    return out


def _suggestions(
    report: PeriodReport,
    frequent: Sequence[selectors.FrequentSuggestion],
    s: dict[str, ParagraphStyle],
) -> list[Any]:
    out: list[Any] = [
        Paragraph(_("5. Ringkasan saran dan masukan"), s["h2"]),
        Paragraph(
            _("%(count)s responden menuliskan saran atau masukan.") % {"count": report.suggestions},
            s["body"],
        ),
        Spacer(1, 4),
    ]
    counts: list[list[Any]] = [[_("Unit layanan"), _("Saran"), _("Responden")]]
    for unit in report.units:
        if unit.totals.suggestions:
            counts.append(
                [Paragraph(escape(unit.name), s["cell"]), unit.totals.suggestions, unit.respondents]
            )
    if len(counts) > 1:
        out.append(_table(counts, [12 * cm, 2.5 * cm, 2.5 * cm], numeric=(1, 2)))
    if frequent:
        out += [
            Spacer(1, 6),
            Paragraph(
                _("Saran yang paling sering ditulis (paling banyak %(n)s):")
                % {"n": SUGGESTIONS_LISTED},
                s["body"],
            ),
            Spacer(1, 3),
        ]
        rows: list[list[Any]] = [[_("Unit layanan"), _("Saran dan masukan"), _("Kali")]]
        for row in frequent:
            text = row.text
            if len(text) > SUGGESTION_CHARS:
                text = text[: SUGGESTION_CHARS - 1] + "…"
            rows.append(
                [
                    Paragraph(escape(row.unit), s["cell"]),
                    Paragraph(escape(text), s["cell"]),
                    row.count,
                ]
            )
        out.append(_table(rows, [4.6 * cm, 11 * cm, 1.4 * cm], numeric=(2,)))
    return out


def _follow_ups(report: PeriodReport, s: dict[str, ParagraphStyle]) -> list[Any]:
    out: list[Any] = [Paragraph(_("6. Rencana tindak lanjut"), s["h2"])]
    if not report.follow_ups:
        out.append(Paragraph(_("Belum ada rencana tindak lanjut yang dicatat."), s["body"]))
        return out
    out.append(
        Paragraph(
            _("%(done)s dari %(total)s tindak lanjut sudah selesai.")
            % {"done": report.follow_ups_done, "total": len(report.follow_ups)},
            s["body"],
        )
    )
    out.append(Spacer(1, 4))
    rows: list[list[Any]] = [
        [
            _("Unit / unsur"),
            _("Rencana tindak lanjut"),
            _("Penanggung jawab"),
            _("Target"),
            _("Status"),
        ]
    ]
    for item in report.follow_ups:
        status = item.get_status_display()
        if item.done_on:
            status = f"{status} {_date(item.done_on)}"
        rows.append(
            [
                Paragraph(
                    f"{escape(item.unit.name)}<br/>{escape(item.get_element_display())}", s["cell"]
                ),
                Paragraph(escape(item.action), s["cell"]),
                Paragraph(escape(item.owner), s["cell"]),
                _date(item.due_on),
                Paragraph(escape(status), s["cell"]),
            ]
        )
    out.append(_table(rows, [4.0 * cm, 5.2 * cm, 3.0 * cm, 2.2 * cm, 2.6 * cm]))
    return out


def report_pdf(
    report: PeriodReport,
    suggestions: Sequence[selectors.FrequentSuggestion],
    *,
    pemda: str = "",
    generated_at: Any = None,
) -> bytes:
    """The SKM report of a period as an A4 PDF."""
    _fonts()
    s = _styles()
    period = report.period
    generated = timezone.localtime(generated_at or timezone.now())
    story: list[Any] = [
        Paragraph(_("Laporan Survei Kepuasan Masyarakat"), s["title"]),
        Paragraph(escape(" · ".join(p for p in (pemda, period.name) if p)), s["subtitle"]),
        Spacer(1, 8),
    ]
    overall = report.overall
    summary: list[list[Any]] = [
        [
            Paragraph(num(overall.value) if overall else "–", s["figure"]),
            Paragraph(
                (
                    _("IKM seluruh unit: mutu %(code)s, kinerja %(label)s.")
                    % {"code": overall.grade.code, "label": grade_label(overall.grade.code)}
                    if overall
                    else _("IKM belum dapat dihitung.")
                )
                + "<br/>"
                + _("%(respondents)s responden dari %(units)s unit layanan; target %(target)s.")
                % {
                    "respondents": report.respondents,
                    "units": sum(1 for u in report.units if u.respondents),
                    "target": report.target or "–",
                },
                s["body"],
            ),
        ]
    ]
    box = Table(summary, colWidths=[4.2 * cm, 12.8 * cm])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, BRAND),
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    story += [box, Spacer(1, 4)]
    story += _method(report, s)
    story += _sample(report, s)
    story += _results(report, s)
    story += _units(report, s)
    story += _suggestions(report, suggestions, s)
    story += _follow_ups(report, s)

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=2 * cm,
        title=_("Laporan Survei Kepuasan Masyarakat") + f" {period.name}",
        author=pemda,
        subject="SKM PermenPANRB 14/2017",
    )
    canvas = type(
        "Canvas",
        (_Numbered,),
        {
            "footer": f"{period.name} · "
            + _("dibuat %(when)s") % {"when": f"{generated:%d-%m-%Y %H:%M}"}
        },
    )
    doc.build(story, canvasmaker=canvas)
    return out.getvalue()


# --------------------------------------------------------------------------- QR sheet


@dataclass(frozen=True)
class QrSheet:
    unit: str
    url: str


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as vector squares (sharp at any print size), lower-left corner at (x, y)."""
    rows = list(segno.make(url, error="m").matrix_iter(border=4))
    module = size / len(rows)
    canvas.setFillColor(colors.black)
    for r, row in enumerate(rows):
        top = y + size - (r + 1) * module
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + c * module, top, module, module, stroke=0, fill=1)


def qr_sheets(period: SurveyPeriod, sheets: Sequence[QrSheet]) -> bytes:
    """One A4 page per unit: what the survey is, the unit, a large QR code, the address."""
    _fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setTitle(_("Kode QR survei") + f" {period.name}")
    width, height = A4
    body = ParagraphStyle("qr", fontName=FONT, fontSize=13, leading=18, alignment=TA_CENTER)
    for sheet in sheets:
        canvas.setFillColor(BRAND)
        canvas.rect(0, height - 3.2 * cm, width, 3.2 * cm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(FONT_BOLD, 22)
        canvas.drawCentredString(width / 2, height - 2 * cm, _("Survei Kepuasan Masyarakat"))
        canvas.setFillColor(colors.black)
        unit = Paragraph(
            f"<b>{escape(sheet.unit)}</b>",
            ParagraphStyle("unit", parent=body, fontName=FONT_BOLD, fontSize=20, leading=25),
        )
        _w, h = unit.wrap(width - 4 * cm, 5 * cm)
        unit.drawOn(canvas, 2 * cm, height - 4.3 * cm - h)
        invite = Paragraph(
            escape(
                _(
                    "Bagaimana pelayanan kami hari ini? Pindai kode ini dengan kamera ponsel dan "
                    "isi survei singkat tanpa nama (sekitar dua menit)."
                )
            ),
            body,
        )
        _w, ih = invite.wrap(width - 5 * cm, 5 * cm)
        invite.drawOn(canvas, 2.5 * cm, height - 5.2 * cm - h - ih)
        size = 12 * cm
        _draw_qr(canvas, sheet.url, (width - size) / 2, 6.2 * cm, size)
        canvas.setFont(FONT, 10)
        canvas.drawCentredString(width / 2, 5.3 * cm, sheet.url)
        canvas.setFont(FONT, 11)
        canvas.drawCentredString(width / 2, 4.2 * cm, period.name)
        canvas.setFont(FONT, 9)
        canvas.setFillColor(colors.HexColor("#4A5560"))
        canvas.drawCentredString(
            width / 2,
            3.4 * cm,
            _("Satu formulir untuk satu kunjungan. Jawaban Anda tidak terhubung dengan nama Anda."),
        )
        canvas.showPage()
    canvas.save()
    return out.getvalue()
