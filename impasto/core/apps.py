from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "impasto.core"
    label = "core"
