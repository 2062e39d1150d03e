from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "satupintu.open311"
    label = "open311"
    verbose_name = _("Open311 dan federasi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from satupintu.core import worker

        worker.register("federation-push", 10, "satupintu.open311.federation.push")
        worker.register("federation-pull", 60, "satupintu.open311.federation.pull")
