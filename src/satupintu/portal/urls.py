from django.urls import path

from satupintu.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("lapor/", views.submit, name="submit"),
    path("lacak/", views.track, name="track"),
    path("laporan/", views.public_list, name="public_list"),
]
