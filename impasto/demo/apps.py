from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "impasto.demo"
    label = "demo"
