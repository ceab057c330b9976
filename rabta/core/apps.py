from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rabta.core"
    label = "core"
    verbose_name = "Core"
