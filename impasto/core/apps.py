from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "impasto.core"
    label = "core"

    def ready(self) -> None:
        from impasto.core import lookups  # noqa: F401 - registers ``__anyof``
