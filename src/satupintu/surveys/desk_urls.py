"""The evaluator's SKM pages, under the officer desk (``/petugas/skm/``)."""

from django.urls import path

from satupintu.surveys import desk_views as views

app_name = "skm"

urlpatterns = [
    path("", views.period_list, name="periods"),
    path("<int:pk>/", views.period_detail, name="period"),
    path("<int:pk>/progres/", views.period_progress, name="progress"),
    path("<int:pk>/target/", views.period_targets, name="targets"),
    path("<int:pk>/aksi/<slug:action>/", views.period_action, name="period_action"),
    path("<int:pk>/kode-qr.pdf", views.qr_sheet, name="qr_sheet"),
    path("<int:pk>/hasil/", views.results, name="results"),
    path("<int:pk>/hasil.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/laporan.pdf", views.export_pdf, name="export_pdf"),
    path("<int:pk>/saran/", views.suggestion_list, name="suggestions"),
    path("<int:pk>/tindak-lanjut/", views.follow_ups, name="follow_ups"),
    path("tindak-lanjut/<int:pk>/status/", views.follow_up_status, name="follow_up_status"),
]
