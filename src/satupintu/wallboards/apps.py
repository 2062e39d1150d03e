from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WallboardsConfig(AppConfig):
    name = "satupintu.wallboards"
    label = "wallboards"
    verbose_name = _("Layar ruang kendali")
    default_auto_field = "django.db.models.BigAutoField"
