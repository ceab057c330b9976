from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "rabta.portfolio"
    label = "portfolio"
    verbose_name = "Portfolios and first engagements"
