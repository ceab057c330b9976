from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "rabta.programme"
    label = "programme"
    verbose_name = "Freelance Initiative programme"
