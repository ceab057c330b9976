"""A person's community identity: the handle others mention, and their trust level."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from rabta.core.models import TimeStampedModel

User = settings.AUTH_USER_MODEL


class TrustLevel(models.IntegerChoices):
    NEW = 0, _("New member")
    BASIC = 1, _("Basic member")
    TRUSTED = 2, _("Trusted member")


class Member(TimeStampedModel):
    """A person's community identity: the handle others mention, and their trust level."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="community_member")
    handle = models.SlugField(_("handle"), max_length=30)
    trust_level = models.PositiveSmallIntegerField(
        choices=TrustLevel.choices, default=TrustLevel.NEW
    )
    # Set by a moderator: the level is then not recomputed from activity.
    trust_locked = models.BooleanField(default=False)
    posts_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("handle"), name="member_handle_ci_unique")]
        permissions = [
            ("moderate_forum", "Can moderate the forums"),
            ("manage_chapters", "Can open chapters and appoint their leads"),
            ("review_nominations", "Can review Hall of Fame nominations"),
            ("run_calls", "Can open panel calls and select panels"),
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"
