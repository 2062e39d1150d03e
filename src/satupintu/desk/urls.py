from django.contrib.auth import views as auth_views
from django.urls import path

from satupintu.desk import profile, views

app_name = "desk"

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("verifikasi/", views.verify_queue, name="verify_queue"),
    path("verifikasi/disposisi-massal/", views.verify_bulk, name="verify_bulk"),
    path("instansi/<slug:code>/", views.inbox, name="inbox"),
    path("instansi/<slug:code>/tugaskan/", views.inbox_assign, name="inbox_assign"),
    path("instansi/<slug:code>/terlambat/", views.overdue, name="overdue"),
    path("kota/", views.city, name="city"),
    path("laporan/<int:pk>/", views.report_detail, name="report"),
    path("laporan/<int:pk>/verifikasi/", views.dispatch_form, name="dispatch_form"),
    path("laporan/<int:pk>/aksi/<slug:action>/", views.report_action, name="report_action"),
    path("laporan/<int:pk>/identitas/", views.report_identity, name="identity"),
    path("laporan/<int:pk>/lampiran/<int:attachment_id>/", views.attachment, name="attachment"),
    path("profil/pemberitahuan/", profile.notification_profile, name="notification_profile"),
    path("loket/", views.counter, name="counter"),
    path("loket/pertanyaan/", views.counter_questions, name="counter_questions"),
    path("loket/tanda-terima/", views.counter_receipt, name="counter_receipt"),
]
