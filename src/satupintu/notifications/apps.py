from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "satupintu.notifications"
    label = "notifications"
    verbose_name = _("Webhook")

    def ready(self) -> None:
        from satupintu.core import worker

        worker.register("webhooks-fan-out", 3, "satupintu.notifications.jobs.fan_out")
        worker.register("webhooks-deliver", 3, "satupintu.notifications.jobs.deliver")
        worker.register("webhooks-purge", 3600, "satupintu.notifications.jobs.purge")
        worker.register("messages-send", 5, "satupintu.notifications.messages.send_due")
