from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "satupintu.notifications"
    label = "notifications"
    verbose_name = _("Webhook")

    def ready(self) -> None:
        from satupintu.core import worker

        worker.register("webhooks-fan-out", 1, "satupintu.notifications.jobs.fan_out")
        worker.register("webhooks-deliver", 1, "satupintu.notifications.jobs.deliver")
        worker.register("webhooks-purge", 3600, "satupintu.notifications.jobs.purge")
        worker.register("messages-send", 5, "satupintu.notifications.messages.send_due")
        # Messages to people (notifications/people.py): events, then reminders and digests.
        people = "satupintu.notifications.people"
        worker.register("messages-fan-out", 2, f"{people}.fan_out_job")
        worker.register("messages-closing-soon", 3600, f"{people}.closing_soon")
        worker.register("messages-due-tomorrow", 3600, f"{people}.due_tomorrow")
        worker.register("messages-digest", 3600, f"{people}.digest")
