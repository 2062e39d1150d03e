from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "satupintu.desk"
    label = "desk"
    verbose_name = "Meja kerja petugas"
