from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The shell around the apps: the home page, the navigation and the demo.  It has no
    models; it is the one app that may import every other."""

    name = "rabta.site"
    label = "site"
    verbose_name = "Site shell"
