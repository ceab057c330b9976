from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rabta.accounts"
    label = "accounts"
    verbose_name = "Accounts and profiles"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from rabta.accounts.roles_sync import role_groups_sync

        post_migrate.connect(role_groups_sync, sender=self)
