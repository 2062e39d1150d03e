from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "satupintu"
admin.site.site_title = "satupintu"
admin.site.index_title = "Administrasi pengaduan dan data induk"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
]
