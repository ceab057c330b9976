"""The notices the programme sends (registered with core's notification service).  Each is
emailed at once by default: offers and their deadlines, expiries, tomorrow's session and the
certificate are all things a person acts on."""

from django.utils.translation import gettext_lazy as _

from rabta.core.notifications import NoticeKind

GROUP = _("Freelance Initiative")

KINDS = tuple(
    NoticeKind(
        key=f"programme.{name}",
        label=label,
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
