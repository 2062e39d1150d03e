from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "satupintu.portal"
    label = "portal"
    verbose_name = "Portal warga"
