"""satupintu/desk/charts.js in Chromium: JSON chart descriptions drawn by the vendored Chart.js
under a strict Content-Security-Policy (no inline script, no eval), in the Okabe-Ito palette,
with drill-down links and charts redrawn and freed as htmx swaps panels."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from satupintu.domain.dashboard import SERIES_COLOURS

STATIC = Path(__file__).resolve().parents[2] / "src/satupintu/static"
ORIGIN = "http://charts.test"
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'"

BAR = {
    "type": "bar",
    "title": "Laporan per status",
    "labels": ["Diterima", "Diproses", "Selesai"],
    "series": [
        {
            "label": "Laporan",
            "data": [12, 30, 7],
            "links": ["/laporan?s=a", "https://evil.test/", None],
        }
    ],
}
DOUGHNUT = {
    "type": "doughnut",
    "title": "Kanal",
    "labels": ["Web", "SMS", "WhatsApp"],
    "series": [{"label": "Kanal", "data": [5, 3, 2]}],
}
LINE = {
    "type": "line",
    "title": "Tren",
    "labels": ["Jan", "Feb"],
    "series": [
        {"label": "Masuk", "data": [1, 2]},
        {"label": "Selesai", "data": [0, 1], "colour": 3},
    ],
    "unit": "%",
    "max": 100,
}


def _page_html(charts: dict[str, dict[str, Any]]) -> str:
    parts = []
    for name, spec in charts.items():
        parts.append(
            f'<script id="spec-{name}" type="application/json">{json.dumps(spec)}</script>'
        )
        parts.append(f'<div><canvas id="{name}" data-chart="spec-{name}"></canvas></div>')
    parts.append('<canvas id="broken" data-chart="missing"></canvas>')
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        '<script src="/static/satupintu/vendor/chartjs/chart.umd.min.js" defer></script>'
        '<script src="/static/satupintu/desk/charts.js" defer></script>'
        f'</head><body><main id="main">{"".join(parts)}</main></body></html>'
    )


@pytest.fixture
def chart_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1000, "height": 1200})
    html = _page_html({"bar": BAR, "doughnut": DOUGHNUT, "line": LINE})

    def serve(route: Any) -> None:
        path = route.request.url[len(ORIGIN) :].split("?")[0]
        if path.startswith("/static/"):
            file = STATIC / path[len("/static/") :]
            route.fulfill(body=file.read_bytes(), content_type="text/javascript")
        elif path == "/":
            route.fulfill(
                body=html, content_type="text/html", headers={"Content-Security-Policy": CSP}
            )
        else:
            route.fulfill(body=f"<p>{path}</p>", content_type="text/html")

    context.route(f"{ORIGIN}/**", serve)
    context.route(lambda url: not url.startswith(ORIGIN), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto(f"{ORIGIN}/")
    page.wait_for_function(
        "window.satupintuCharts && Chart.getChart(document.getElementById('bar'))"
    )
    page.errors = errors
    yield page
    # Chart.js and charts.js need nothing the policy forbids (its inline styles are set through
    # the CSSOM, which style-src does not govern).
    assert page.evaluate("window.cspViolations") == []
    assert errors == []
    context.close()


def test_charts_are_drawn_in_the_palette_under_a_strict_csp(chart_page: Any) -> None:
    page = chart_page
    assert page.evaluate("window.satupintuCharts.palette") == list(SERIES_COLOURS)
    bar = page.evaluate(
        """() => { const c = Chart.getChart(document.getElementById('bar'));
        return [c.config.type, c.data.datasets[0].backgroundColor, c.data.labels,
                c.canvas.getAttribute('aria-label'), c.canvas.getAttribute('role')]; }"""
    )
    assert bar == ["bar", SERIES_COLOURS[0], BAR["labels"], "Laporan per status", "img"]
    doughnut = page.evaluate(
        "Chart.getChart(document.getElementById('doughnut')).data.datasets[0].backgroundColor"
    )
    assert doughnut == list(SERIES_COLOURS[:3])
    line = page.evaluate(
        """() => { const c = Chart.getChart(document.getElementById('line'));
        return [c.data.datasets.map(d => d.borderColor), c.options.scales.y.max,
                c.options.scales.y.ticks.callback(12.5)]; }"""
    )
    assert line == [[SERIES_COLOURS[0], SERIES_COLOURS[3]], 100, "12,5%"]  # lang="id"
    assert page.evaluate("document.getElementById('broken').hasAttribute('role')") is False
    assert page.evaluate("window.cspViolations") == []
    assert page.errors == []


def _point(page: Any, index: int) -> tuple[float, float]:
    box = page.locator("#bar").bounding_box()
    x, y = page.evaluate(
        f"""() => {{ const el = Chart.getChart(document.getElementById('bar'))
        .getDatasetMeta(0).data[{index}]; const p = el.getCenterPoint(); return [p.x, p.y]; }}"""
    )
    return box["x"] + x, box["y"] + y


def test_a_click_follows_only_local_links(chart_page: Any) -> None:
    page = chart_page
    page.evaluate("Chart.getChart(document.getElementById('bar')).options.animation = false")
    page.wait_for_timeout(400)  # the opening animation
    page.mouse.click(*_point(page, 1))  # links to another site: ignored
    page.mouse.click(*_point(page, 2))  # no link
    page.wait_for_timeout(200)
    assert page.url == f"{ORIGIN}/"
    with page.expect_navigation():
        page.mouse.click(*_point(page, 0))
    assert page.url == f"{ORIGIN}/laporan?s=a"


def test_htmx_swaps_draw_new_charts_and_free_old_ones(chart_page: Any) -> None:
    page = chart_page
    assert page.evaluate("Object.keys(Chart.instances).length") == 3
    page.evaluate(
        """(spec) => {
        document.getElementById('bar').parentNode.remove();
        const panel = document.createElement('section');
        panel.innerHTML = '<script id="spec-new" type="application/json">' + spec + '</scr' + 'ipt>'
            + '<div><canvas id="new" data-chart="spec-new"></canvas></div>';
        document.getElementById('main').appendChild(panel);
        panel.dispatchEvent(new CustomEvent('htmx:load', {bubbles: true}));
        }""",
        json.dumps(DOUGHNUT),
    )
    assert page.evaluate("!!Chart.getChart(document.getElementById('new'))") is True
    assert page.evaluate("Object.keys(Chart.instances).length") == 3  # bar freed, new drawn
    assert page.errors == []
