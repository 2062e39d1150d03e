from django.urls import path

from satupintu.surveys import views

app_name = "surveys"

urlpatterns = [
    path("hasil/", views.published_list, name="published_list"),
    path("hasil/<int:period_id>/", views.published_detail, name="published"),
    path("<int:period_id>/<slug:unit_code>/", views.survey_form, name="form"),
    path("<int:period_id>/<slug:unit_code>/terima-kasih/", views.thanks, name="thanks"),
    path("<int:period_id>/<slug:unit_code>/qr.png", views.qr_code, name="qr"),
]
