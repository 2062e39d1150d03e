from django.urls import path

from satupintu.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("pengaduan/", views.complaint_indicators, name="complaints"),
    path("ombudsman/<slug:code>/", views.readiness, name="readiness"),
    path("pekppp/<slug:code>/<int:year>/", views.worksheet, name="worksheet"),
    path("pekppp/<slug:code>/<int:year>/buat/", views.worksheet_open, name="worksheet_open"),
    path(
        "pekppp/<slug:code>/<int:year>/isi-otomatis/",
        views.worksheet_prefill,
        name="worksheet_prefill",
    ),
    path(
        "pekppp/<slug:code>/<int:year>/bukti/<int:pk>/",
        views.evidence,
        name="evidence",
    ),
    path(
        "pekppp/<slug:code>/<int:year>/bukti/<int:pk>/hapus/",
        views.evidence_delete,
        name="evidence_delete",
    ),
]
