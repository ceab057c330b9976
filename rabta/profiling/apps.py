from django.apps import AppConfig


class ProfilingConfig(AppConfig):
    name = "rabta.profiling"
    label = "profiling"
    verbose_name = "Career profiling"
