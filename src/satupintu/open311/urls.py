"""``/open311/discovery.{json,xml}`` and ``/open311/v2/...``; anything else under /open311/ gets
the spec's 404."""

from django.urls import path, re_path

from satupintu.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, views.service_list, name="services"),
    re_path(r"^v2/services/(?P<code>[^/]+?)" + FMT, views.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, views.requests, name="requests"),
    re_path(r"^v2/requests/(?P<number>[^/]+?)" + FMT, views.request_detail, name="request"),
    re_path(r"^v2/tokens/(?P<token>[^/]+?)" + FMT, views.token, name="token"),
    # The spec suggests serving the discovery document at the endpoint's root too.
    path("", views.discovery),
    path("v2/", views.discovery, name="root"),
    re_path(r"^(?P<path>.*)\.(?P<fmt>json)$", views.not_found),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
