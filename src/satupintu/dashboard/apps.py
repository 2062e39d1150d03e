from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "satupintu.dashboard"
    label = "dashboard"
    verbose_name = _("Ruang kendali")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from satupintu.core import worker

        # Every 2 s: a new report shows in the operations room within seconds (issue: 10 s).
        worker.register("dashboard-rollup", 2, "satupintu.dashboard.upkeep.upkeep_job")
