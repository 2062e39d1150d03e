from django.contrib.auth import views as auth_views
from django.urls import path

from satupintu.desk import views

app_name = "desk"

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(template_name="desk/login.html"), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
]
