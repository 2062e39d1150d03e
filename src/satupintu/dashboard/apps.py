from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "satupintu.dashboard"
    label = "dashboard"
    verbose_name = _("Ruang kendali")
    default_auto_field = "django.db.models.BigAutoField"
