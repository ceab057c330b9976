from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from rabta.accounts.roles import ROLE_PERMISSIONS, Role


def role_groups_sync(**kwargs: Any) -> None:
    """Create one group per role and give it exactly its permissions (runs after migrate)."""
    using = kwargs.get("using", "default")
    for role in Role:
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        wanted = []
        for dotted in ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".", 1)
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
