"""The Brain Gain community: chapters and their events, forums, the Hall of Fame, and the
council's calls for advisory panels and curriculum reviews.

Text people write is stored as Markdown source next to its cleaned HTML (rendered once, when it
is saved), so a long thread costs no rendering on every view.

One module per topic; the package names every model of the app, so callers (and migrations)
see one ``rabta.community.models``."""

from rabta.community.models.chapters import (
    Chapter,
    ChapterEvent,
    ChapterMembership,
    EventMode,
    EventVisibility,
    MembershipRole,
    MembershipSource,
    Rsvp,
    RsvpStatus,
)
from rabta.community.models.forum import (
    TOPICS,
    Category,
    Post,
    PostNotice,
    Subscription,
    Thread,
)
from rabta.community.models.honours import (
    Honour,
    HonourStatus,
    Nomination,
    NominationStatus,
)
from rabta.community.models.members import (
    Member,
    TrustLevel,
)
from rabta.community.models.moderation import (
    Ban,
    Flag,
    FlagReason,
    ModerationAction,
)
from rabta.community.models.panels import (
    Call,
    CallKind,
    CallStatus,
    PanelApplication,
    PanelApplicationStatus,
    PanelComment,
    PanelDocument,
)

__all__ = [
    "Ban",
    "Call",
    "CallKind",
    "CallStatus",
    "Category",
    "Chapter",
    "ChapterEvent",
    "ChapterMembership",
    "EventMode",
    "EventVisibility",
    "Flag",
    "FlagReason",
    "Honour",
    "HonourStatus",
    "Member",
    "MembershipRole",
    "MembershipSource",
    "ModerationAction",
    "Nomination",
    "NominationStatus",
    "PanelApplication",
    "PanelApplicationStatus",
    "PanelComment",
    "PanelDocument",
    "Post",
    "PostNotice",
    "Rsvp",
    "RsvpStatus",
    "Subscription",
    "TOPICS",
    "Thread",
    "TrustLevel",
]
