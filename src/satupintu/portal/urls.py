from django.urls import path

from satupintu.portal import opt_out, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("lapor/", views.submit, name="submit"),
    path("lapor/pertanyaan/", views.questions, name="questions"),
    path("lapor/terkirim/<str:tracking>/", views.receipt, name="receipt"),
    path("lacak/", views.track, name="track"),
    path("lacak/<str:tracking>/", views.reporter, name="reporter"),
    path("lacak/<str:tracking>/tanggapan/", views.reporter_reply, name="reporter_reply"),
    path("lacak/<str:tracking>/penilaian/", views.reporter_confirm, name="reporter_confirm"),
    path("lacak/<str:tracking>/banding/", views.reporter_appeal, name="reporter_appeal"),
    path("lacak/<str:tracking>/lampiran/", views.reporter_attach, name="reporter_attach"),
    path("laporan/", views.public_list, name="public_list"),
    path("laporan/<str:tracking>/", views.public_detail, name="public_detail"),
    path("lampiran/<int:pk>/", views.attachment, name="attachment"),
    path("wilayah/kelurahan/", views.villages, name="villages"),
    path("berhenti/<str:token>/", opt_out.opt_out, name="opt_out"),
]
