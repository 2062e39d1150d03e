from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "satupintu.complaints"
    label = "complaints"
    verbose_name = _("Pengaduan")

    def ready(self) -> None:
        from satupintu.complaints.selectors import reports_without_chain
        from satupintu.core import audit, worker

        # Every report has its chain from receipt: `satupintu audit verify` checks they all do.
        audit.expect_chains("report", reports_without_chain)
        worker.register("sla-sweep", 60, "satupintu.complaints.jobs.sla_sweep")
