from django.apps import AppConfig


class CommunityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rabta.community"
    verbose_name = "Brain Gain community"

    def ready(self) -> None:
        from rabta.community.notices import GROUP, KINDS
        from rabta.core.notifications import kinds_register

        kinds_register(*KINDS, group=GROUP)
        from rabta.community import (
            personal_data,  # noqa: F401  (registers the section)
            signals,  # noqa: F401  (connects the receivers)
        )
