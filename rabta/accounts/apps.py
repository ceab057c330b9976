from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rabta.accounts"
    label = "accounts"
    verbose_name = "Accounts and profiles"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from rabta.accounts.roles_sync import role_groups_sync

        # Every app's migrate may add permissions a role needs, so re-sync after each one.
        post_migrate.connect(role_groups_sync, dispatch_uid="rabta.role_groups_sync")

        from rabta.accounts.notices import GROUP, KINDS
        from rabta.core.notifications import kinds_register

        kinds_register(*KINDS, group=GROUP)

        from rabta.accounts import personal_data  # noqa: F401  (registers the section)
