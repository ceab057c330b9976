"""The notices the programme sends (registered with core's notification service)."""

from django.utils.translation import gettext_lazy as _

from rabta.core.notifications import NoticeKind

KINDS = tuple(
    NoticeKind(
        key=f"programme.{name}",
        label=label,
        email=True,
        template=f"programme/email/{name}",
    )
    for name, label in (
        ("offered", _("A seat is offered to you")),
        ("expired", _("An offer expired")),
        ("reminder", _("A live session tomorrow")),
        ("certified", _("Your certificate is ready")),
        ("deadline", _("An offer's deadline is near")),
    )
)
