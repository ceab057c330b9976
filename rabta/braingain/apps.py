from django.apps import AppConfig


class BraingainConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rabta.braingain"
    verbose_name = "Brain Gain Portal"

    def ready(self) -> None:
        from rabta.braingain.notices import GROUP, KINDS
        from rabta.core.notifications import kinds_register

        kinds_register(*KINDS, group=GROUP)
        from rabta.braingain import (
            personal_data,  # noqa: F401  (registers the section)
            signals,  # noqa: F401  (connects the receivers)
        )
