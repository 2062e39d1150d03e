from django.urls import path

from satupintu.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.room, name="room"),
    path("panel/", views.room_panels, name="panels"),
    path("peta/", views.room_map, name="map"),
    path("peta/kelurahan.geojson", views.room_geojson, name="geojson"),
    path("ekspor/<slug:panel>.<str:fmt>", views.room_export, name="export"),
]
