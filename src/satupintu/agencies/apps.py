from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "satupintu.agencies"
    label = "agencies"
    verbose_name = "Instansi"
