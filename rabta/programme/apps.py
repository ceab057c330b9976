from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "rabta.programme"
    label = "programme"
    verbose_name = "Freelance Initiative programme"

    def ready(self) -> None:
        from rabta.core.notifications import kinds_register
        from rabta.programme.notices import GROUP, KINDS

        kinds_register(*KINDS, group=GROUP)
        from django.conf import settings
        from django.db.models.signals import pre_delete

        from rabta.programme import personal_data  # noqa: F401  (registers the section)
        from rabta.programme.services import seats_release_for_deleted_user

        pre_delete.connect(
            seats_release_for_deleted_user,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="rabta.programme.release_seats",
        )
