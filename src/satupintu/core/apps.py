from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "satupintu.core"
    label = "core"
    verbose_name = "Inti"
