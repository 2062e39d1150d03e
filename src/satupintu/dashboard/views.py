"""The operations room (/petugas/ruang-kendali/): every panel from the stored rollups.

Leaders, verifiers and system administrators see the whole Pemda; an agency head sees their
agencies (``selectors.scope_for``); anybody else signed in gets 404, like the desk's other pages
that are not theirs. The page, its live panels (polled by htmx) and the exports read the same
filter form; every figure links to the list of reports behind it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from satupintu.agencies import calendar as workcal
from satupintu.agencies.access import access_for
from satupintu.agencies.models import Agency, Region
from satupintu.agencies.selectors import boundaries_geojson
from satupintu.dashboard import exports, selectors
from satupintu.dashboard.forms import RoomFilterForm, pemda_region
from satupintu.domain.dashboard import choropleth_legend, rising_windows
from satupintu.domain.lifecycle import OWES_WORK

OWES_WORK_VALUES = frozenset(s.value for s in OWES_WORK)


def room_allowed(user: Any) -> bool:
    """Leaders, verifiers, system administrators and agency heads."""
    access = access_for(user)
    return access.sees_everything or bool(access.heads)


def _scope(request: HttpRequest) -> selectors.Scope:
    if not room_allowed(request.user):
        raise Http404("not found")
    return selectors.scope_for(request.user)


class Links:
    """Where each figure's reports are listed: the city list for city-wide users (with every
    filter), the agency inbox for an agency head (which lists open reports and takes the
    status, category and overdue filters)."""

    def __init__(self, form: RoomFilterForm, scope: selectors.Scope, filters: selectors.Filters):
        self.city = scope.everything
        self.filters = filters
        self.codes: dict[int, str] = {}
        if not self.city:
            self.codes = dict(
                Agency.objects.filter(pk__in=sorted(scope.agencies or ())).values_list("pk", "code")
            )
            access_heads = sorted(scope.agencies or ())
            self.home = self.codes.get(filters.agency_id or 0) or (
                self.codes.get(access_heads[0]) if access_heads else None
            )

    def _period(self, start: dt.date | None = None, end: dt.date | None = None) -> dict[str, str]:
        return {
            "sejak": (start or self.filters.start).isoformat(),
            "sampai": (end or self.filters.end).isoformat(),
        }

    def to(
        self,
        *,
        period: bool = True,
        start: dt.date | None = None,
        end: dt.date | None = None,
        status: str = "",
        agency_id: int | None = None,
        category_id: int | None = None,
        kelurahan: str = "",
        overdue: bool = False,
    ) -> str:
        f = self.filters
        agency = agency_id if agency_id is not None else f.agency_id
        category = category_id if category_id is not None else f.category_id
        if not self.city:
            code = self.codes.get(agency or 0) or self.home
            if not code:
                return ""
            query: dict[str, str] = {}
            if status in OWES_WORK_VALUES:
                query["status"] = status
            if category:
                query["kategori"] = str(category)
            if overdue:
                query["terlambat"] = "on"
            url = reverse("desk:inbox", args=[code])
            return f"{url}?{urlencode(query)}" if query else url
        query = {}
        if status:
            query["status"] = status
        if agency:
            query["instansi"] = str(agency)
        if category:
            query["kategori"] = str(category)
        if f.kecamatan:
            query["kecamatan"] = f.kecamatan
        if kelurahan:
            query["kelurahan"] = kelurahan
        if f.channel:
            query["kanal"] = f.channel
        if period:
            query.update(self._period(start, end))
        if overdue:
            query["terlambat"] = "on"
        return f"{reverse('desk:city')}?{urlencode(query)}"


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _chart(
    kind: str, title: str, labels: list[str], series: list[dict[str, Any]], **kw: Any
) -> dict[str, Any]:
    return {"type": kind, "title": title, "labels": labels, "series": series, **kw}


def panels(
    form: RoomFilterForm, filters: selectors.Filters, scope: selectors.Scope
) -> dict[str, Any]:
    """Every panel's figures, links and chart descriptions."""
    from django.utils.translation import gettext as _

    today = workcal.today()
    links = Links(form, scope, filters)
    data = exports.gather(filters, scope, today=today)

    head = data["headline"]
    headline = []
    for label, span in (
        (_("Hari ini"), head.today),
        (_("Minggu ini"), head.week),
        (_("Bulan ini"), head.month),
    ):
        headline.append(
            {
                "label": label,
                "span": span,
                "link": links.to(start=span.start, end=span.end),
                "previous_link": links.to(start=span.previous_start, end=span.previous_end),
                "change_pct": _pct(span.change, span.previous),
            }
        )

    backlog = data["backlog"]
    backlog_rows = [
        {
            "s": s,
            "link": links.to(period=False, status=s.status),
            "overdue_link": links.to(period=False, status=s.status, overdue=True),
        }
        for s in backlog.statuses
    ]
    backlog_chart = _chart(
        "bar",
        _("Laporan berjalan per status"),
        [s.label for s in backlog.statuses],
        [
            {
                "label": _("Laporan"),
                "data": [s.reports for s in backlog.statuses],
                "links": [r["link"] for r in backlog_rows],
            },
            {
                "label": _("Terlambat"),
                "data": [s.overdue for s in backlog.statuses],
                "colour": 3,
                "links": [r["overdue_link"] for r in backlog_rows],
            },
        ],
        horizontal=True,
        aspectRatio=1.6,
    )

    sla_rows = [
        {
            "a": a,
            "share": None if a.on_time_share is None else round(100 * a.on_time_share, 1),
            "score": None if a.ranking_score is None else round(100 * a.ranking_score, 1),
            "followup_share": None
            if a.followup_on_time_share is None
            else round(100 * a.followup_on_time_share, 1),
            "link": links.to(agency_id=a.agency_id),
            "overdue_link": links.to(period=False, agency_id=a.agency_id, overdue=True),
        }
        for a in data["sla"]
        if a.agency_id
    ]
    ranked = [r for r in sla_rows if r["score"] is not None][:15]
    sla_chart = _chart(
        "bar",
        _("Tepat waktu per instansi (batas bawah Wilson)"),
        [r["a"].name for r in ranked],
        [
            {
                "label": _("Peringkat (batas bawah Wilson)"),
                "data": [r["score"] for r in ranked],
                "links": [r["link"] for r in ranked],
            },
            {
                "label": _("Tepat waktu"),
                "data": [r["share"] for r in ranked],
                "colour": 5,
                "links": [r["link"] for r in ranked],
            },
        ],
        horizontal=True,
        unit="%",
        min=0,
        max=100,
        aspectRatio=1.2,
    )

    duration_rows = [
        {"d": d, "link": links.to(agency_id=d.agency_id)} for d in data["durations"] if d.agency_id
    ]
    top_durations = duration_rows[:12]
    duration_chart = _chart(
        "bar",
        _("Hari kerja sampai selesai (median dan p90)"),
        [r["d"].name for r in top_durations],
        [
            {"label": _("Median"), "data": [r["d"].resolution.median for r in top_durations]},
            {"label": "p90", "data": [r["d"].resolution.p90 for r in top_durations], "colour": 1},
        ],
        horizontal=True,
        aspectRatio=1.2,
    )

    wrong_rows = [{"w": w, "link": links.to(agency_id=w.agency_id)} for w in data["wrong_doors"]]
    wrong_top = wrong_rows[:12]
    wrong_chart = _chart(
        "bar",
        _("Hari kerja hilang di pintu yang salah"),
        [r["w"].name for r in wrong_top],
        [
            {
                "label": _("Hari kerja hilang"),
                "data": [r["w"].tally.days_lost for r in wrong_top],
                "colour": 3,
                "links": [r["link"] for r in wrong_top],
            }
        ],
        horizontal=True,
        aspectRatio=1.4,
    )

    trend = data["trend"]
    trend_rows = [
        {
            "p": p,
            "on_time": _pct(p.resolved_on_time, p.resolved),
            "link": links.to(start=p.month, end=selectors._month_end(p.month)),
        }
        for p in trend
    ]
    trend_chart = _chart(
        "line",
        _("Tren 12 bulan"),
        [p.month.strftime("%m/%Y") for p in trend],
        [
            {
                "label": _("Laporan masuk"),
                "data": [p.reports for p in trend],
                "links": [r["link"] for r in trend_rows],
            },
            {"label": _("Selesai"), "data": [p.resolved for p in trend], "colour": 2},
        ],
        aspectRatio=2.2,
    )

    current, _baseline = rising_windows(today)
    rising_rows = [
        {
            "r": r,
            "link": links.to(
                start=current.start,
                end=current.end,
                category_id=int(r.key) if r.key.isdigit() and r.key != "0" else None,
            ),
        }
        for r in data["rising"]
    ]

    rating_rows = [
        {"r": r, "link": links.to(agency_id=r.agency_id)} for r in data["ratings"] if r.agency_id
    ]
    rating_chart = _chart(
        "bar",
        _("Rata-rata penilaian pelapor (1–5)"),
        [r["r"].name for r in rating_rows[:12]],
        [
            {
                "label": _("Rata-rata"),
                "data": [round(r["r"].mean or 0, 2) for r in rating_rows[:12]],
                "colour": 2,
                "links": [r["link"] for r in rating_rows[:12]],
            }
        ],
        horizontal=True,
        min=0,
        max=5,
        aspectRatio=1.4,
    )

    return {
        "filters": filters,
        "today": today,
        "headline": headline,
        "backlog": backlog,
        "backlog_rows": backlog_rows,
        "backlog_chart": backlog_chart,
        "backlog_link": links.to(period=False),
        "overdue_link": links.to(period=False, overdue=True),
        "sla_rows": sla_rows,
        "sla_chart": sla_chart,
        "duration_rows": duration_rows,
        "duration_chart": duration_chart,
        "wrong_rows": wrong_rows,
        "wrong_chart": wrong_chart,
        "trend_rows": trend_rows,
        "trend_chart": trend_chart,
        "rising_rows": rising_rows,
        "rising_week": current,
        "rating_rows": rating_rows,
        "rating_chart": rating_chart,
        "city_wide": scope.everything,
    }


def map_data(
    form: RoomFilterForm, filters: selectors.Filters, scope: selectors.Scope
) -> dict[str, Any]:
    """Reports per kelurahan joined to the polygons: count, per km², per 10,000 residents, with a
    legend for each measure (the polygons themselves are fetched once by the page)."""
    from django.utils.translation import gettext as _

    links = Links(form, scope, filters)
    counts = {a.kelurahan: a for a in selectors.reports_by_kelurahan(filters, scope)}
    region = pemda_region()
    features = boundaries_geojson(region, Region.Level.VILLAGE)["features"] if region else []
    rows = []
    for feature in features:
        p = feature["properties"]
        area = counts.get(p["code"])
        n = area.reports if area else 0
        km2 = p.get("area_km2") or None
        population = p.get("population") or None
        rows.append(
            {
                "code": p["code"],
                "name": p["name"],
                "reports": n,
                "open": area.open if area else 0,
                "per_km2": round(n / km2, 2) if km2 else None,
                "per_10k": round(n * 10000 / population, 2) if population else None,
                "link": links.to(kelurahan=p["code"]) if links.city else links.to(),
            }
        )
    has_population = any(r["per_10k"] is not None for r in rows)
    measures = [("reports", _("Jumlah laporan")), ("per_km2", _("Per km²"))]
    if has_population:
        measures.append(("per_10k", _("Per 10.000 penduduk")))
    legends = {}
    for key, label in measures:
        legend = choropleth_legend([r[key] for r in rows])
        legends[key] = {
            "label": str(label),
            "classes": [
                {"lower": c.lower, "upper": c.upper, "colour": colour}
                for c, colour in zip(legend.classes, legend.colours, strict=True)
            ],
        }
        for r in rows:
            r[f"{key}_colour"] = legend.colour(r[key])
    rows.sort(key=lambda r: (-r["reports"], r["name"]))
    outside = sum(a.reports for code, a in counts.items() if code not in {r["code"] for r in rows})
    return {
        "map_rows": rows,
        "map_json": {"areas": {r["code"]: r for r in rows}, "legends": legends},
        "map_measures": measures,
        "map_outside": outside,
        "has_population": has_population,
    }


def _form(request: HttpRequest, scope: selectors.Scope) -> tuple[RoomFilterForm, selectors.Filters]:
    form = RoomFilterForm(request.GET or None, agencies=scope.agencies)
    return form, form.filters()


@never_cache
@login_required
@require_GET
def room(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form, filters = _form(request, scope)
    query = urlencode(form.query())
    region = pemda_region()
    context = {
        "form": form,
        "query": query,
        "panel_url": f"{reverse('dashboard:panels')}?{query}",
        "map_url": f"{reverse('dashboard:map')}?{query}",
        "geojson_url": reverse("dashboard:geojson"),
        "tiles_url": getattr(settings, "DASHBOARD_MAP_TILES_URL", ""),
        "has_boundaries": bool(region),
        "exports": exports.PANELS,
        **panels(form, filters, scope),
        **map_data(form, filters, scope),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "dashboard/room.html", context, status=status)


@never_cache
@login_required
@require_GET
def room_panels(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form, filters = _form(request, scope)
    context = {"form": form, "query": urlencode(form.query()), **panels(form, filters, scope)}
    return render(request, "dashboard/_panels.html", context)


@never_cache
@login_required
@require_GET
def room_map(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form, filters = _form(request, scope)
    context = {"form": form, "query": urlencode(form.query()), **map_data(form, filters, scope)}
    return render(request, "dashboard/_map_data.html", context)


@login_required
@require_GET
def room_geojson(request: HttpRequest) -> HttpResponse:
    """The kelurahan polygons of the Pemda (they change only when boundaries are loaded)."""
    import json

    _scope(request)
    region = pemda_region()
    collection = (
        boundaries_geojson(region, Region.Level.VILLAGE)
        if region
        else {"type": "FeatureCollection", "features": []}
    )
    response = HttpResponse(json.dumps(collection), content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=300"
    return response


@never_cache
@login_required
@require_GET
def room_export(request: HttpRequest, panel: str, fmt: str) -> HttpResponse:
    scope = _scope(request)
    if panel not in exports.PANELS or fmt not in ("csv", "xlsx"):
        raise Http404("no such export")
    form, filters = _form(request, scope)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    table = exports.table(panel, filters, scope)
    return exports.response(table, fmt, filters)
