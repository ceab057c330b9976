from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rabta.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from rabta.core.notifications import CORE_KINDS, kinds_register

        kinds_register(*CORE_KINDS, group=_("Background jobs"))

        from rabta.core.personal_data import core_section_register

        core_section_register()
