import sys

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from satupintu.api.errors import error_response
from satupintu.core import health, outage
from satupintu.core.errors import Door, http_status
from satupintu.open311 import render as open311_render
from satupintu.open311 import views as open311_views

admin.site.site_header = "satupintu"
admin.site.site_title = "satupintu"
admin.site.index_title = _("Administrasi pengaduan dan data induk")

# The open interfaces first: their requests come in bulk (gateways, apps), and each pattern
# before them is one more to try.
urlpatterns = [
    path("api/", include("satupintu.api.urls")),
    path("readyz", health.readyz, name="readyz"),
    path("open311/", include("satupintu.open311.urls")),
    path("channels/", include("satupintu.channels.urls")),
    path("", include("satupintu.portal.urls")),
    path("petugas/skm/", include("satupintu.surveys.desk_urls")),
    path("petugas/evaluasi/", include("satupintu.evaluation.urls")),
    path("petugas/ruang-kendali/", include("satupintu.dashboard.urls")),
    path("petugas/", include("satupintu.desk.urls")),
    path("survei/", include("satupintu.surveys.urls")),
    path("", include("satupintu.catalogue.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's answer to a failure (DEBUG off): Open311 clients get the spec's error shape,
    everyone else the 500 page; a database out of reach outside a view (a middleware saving
    the session) is a 503 in each door's shape, as it is inside one (core/outage.py)."""
    unavailable = outage.as_unavailable(sys.exc_info()[1] or Exception())
    if unavailable is not None:
        headers = outage.retry_headers(unavailable)
        if request.path.startswith("/open311/"):
            fmt = open311_render.format_of(request.path)
            status = http_status(unavailable, Door.OPEN311)
            return open311_render.errors(fmt, status, unavailable.message, headers=headers)
        if request.path.startswith("/api/"):
            status = http_status(unavailable, Door.API)
            response = error_response(status, unavailable.code, unavailable.message)
            for name, value in headers.items():
                response[name] = value
            return response
        return outage.page()
    if request.path.startswith("/open311/"):
        return open311_views.server_error(request)
    return defaults.server_error(request)


handler500 = server_error
