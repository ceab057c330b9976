from typing import Any

from django.apps import AppConfig


class ProfilingConfig(AppConfig):
    name = "rabta.profiling"
    label = "profiling"
    verbose_name = "Career profiling"

    def ready(self) -> None:
        from celery.signals import worker_process_init
        from django.conf import settings

        # Each worker pool process loads the skill suggester's model as it starts, in the
        # background, and keeps it (the web process never loads it); the long-jobs worker,
        # which never suggests, does not (SUGGESTER_WARM=0).
        if settings.SUGGESTER_WARM:
            worker_process_init.connect(_suggester_warm, weak=False)

        from rabta.profiling import personal_data  # noqa: F401  (registers the section)


def _suggester_warm(**_kwargs: Any) -> None:
    from rabta.profiling.linker import warm_in_background

    warm_in_background()
