from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "satupintu.api"
    label = "api"
    verbose_name = _("Antarmuka terbuka (API)")

    def ready(self) -> None:
        from satupintu.core import worker

        worker.register("idempotency-purge", 3600, "satupintu.api.jobs.purge_idempotency")
