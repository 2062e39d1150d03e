from django.urls import path

from satupintu.catalogue import views

app_name = "catalogue"

urlpatterns = [
    # Citizen portal
    path("layanan/", views.public_units, name="units"),
    path("layanan/<slug:code>/", views.public_unit, name="unit"),
    path("layanan/<slug:code>/<slug:service>/", views.public_service, name="service"),
    # Officer desk
    path("petugas/standar-pelayanan/", views.desk_units, name="desk_units"),
    path("petugas/standar-pelayanan/<slug:code>/", views.desk_unit, name="desk_unit"),
    path("petugas/standar-pelayanan/<slug:code>/profil/", views.desk_profile, name="desk_profile"),
    path(
        "petugas/standar-pelayanan/<slug:code>/<int:pk>/",
        views.desk_service,
        name="desk_service",
    ),
    path(
        "petugas/standar-pelayanan/<slug:code>/<int:pk>/publikasi/",
        views.desk_service_publish,
        name="desk_service_publish",
    ),
]
