from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "satupintu.channels"
    label = "channels"
    verbose_name = _("Kanal pesan")

    def ready(self) -> None:
        from satupintu.core import worker

        worker.register("channels-inbound", 5, "satupintu.channels.inbound.process_due")
        # E-mail: the IMAP mailbox polled (returns "" while e-mail is off); its settings checked.
        worker.register("email-poll", 30, "satupintu.channels.email.poll")
        from satupintu.channels import checks  # noqa: F401
