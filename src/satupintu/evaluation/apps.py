from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "satupintu.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluasi pelayanan publik")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from satupintu.core import worker

        worker.register("indicators-refresh", 3600, "satupintu.evaluation.jobs.refresh_indicators")
