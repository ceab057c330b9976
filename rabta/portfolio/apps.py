from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "rabta.portfolio"
    label = "portfolio"
    verbose_name = "Portfolios and first engagements"

    def ready(self) -> None:
        from rabta.core.notifications import kinds_register
        from rabta.portfolio.notices import GROUP, KINDS

        kinds_register(*KINDS, group=GROUP)
        from rabta.portfolio import (
            personal_data,  # noqa: F401  (registers the section)
            signals,  # noqa: F401  (connects the receivers)
        )
