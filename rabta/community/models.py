"""The Brain Gain community: chapters and their events, forums, the Hall of Fame, and the
council's calls for advisory panels and curriculum reviews.

Text people write is stored as Markdown source next to its cleaned HTML (rendered once, when it
is saved), so a long thread costs no rendering on every view."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from rabta.accounts.reference import Discipline, Sector
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


class Ban(models.Model):
    """A moderator's ban from posting, flagging and RSVPing; lifted or run out, it stays as
    history."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="community_bans")
    reason = models.CharField(_("reason"), max_length=300)
    until = models.DateTimeField(_("until"), null=True, blank=True)  # empty: until lifted
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]


# --- chapters --------------------------------------------------------------------------------


class Chapter(TimeStampedModel):
    """A chapter for a country (``city`` empty) or for a city in it."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=80, blank=True)
    description = models.TextField(_("about the chapter"), max_length=4000, blank=True)
    description_html = models.TextField(blank=True, editable=False)
    members_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["country", "city"]
        constraints = [
            models.UniqueConstraint("country", Lower("city"), name="chapter_place_unique")
        ]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    LEAD = "lead", _("Chapter lead")


class MembershipSource(models.TextChoices):
    LOCATION = "location", _("Joined by location")
    MANUAL = "manual", _("Joined")


class ChapterMembership(models.Model):
    """Being in a chapter.  Leaving keeps the row (``left_at``) so joining by location never
    puts someone back who chose to leave."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="chapter_memberships")
    role = models.CharField(
        max_length=8, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    source = models.CharField(max_length=8, choices=MembershipSource.choices)
    # Listed members appear on the chapter page; nobody is listed without choosing it.
    listed = models.BooleanField(_("show me on the chapter page"), default=False)
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("chapter", "user", name="chapter_membership_once")]
        indexes = [models.Index(fields=["user", "left_at"], name="membership_user_idx")]


class EventMode(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")


class EventVisibility(models.TextChoices):
    MEMBERS = "members", _("Chapter members")
    EVERYONE = "everyone", _("Everyone signed in")


class ChapterEvent(TimeStampedModel):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=8000, blank=True)
    description_html = models.TextField(blank=True, editable=False)
    mode = models.CharField(_("where"), max_length=16, choices=EventMode.choices)
    # Shown only to the people going (and the chapter's leads): a meeting link or an address.
    location = models.CharField(_("meeting link or address"), max_length=300)
    starts_at = models.DateTimeField(_("starts"))  # UTC
    time_zone = models.CharField(_("time zone of the event"), max_length=64)
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes"), default=60, validators=[MinValueValidator(15), MaxValueValidator(720)]
    )
    capacity = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    going_count = models.PositiveIntegerField(default=0, editable=False)
    visibility = models.CharField(
        _("who may see it"),
        max_length=16,
        choices=EventVisibility.choices,
        default=EventVisibility.MEMBERS,
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(going_count__lte=models.F("capacity")), name="event_not_overfull"
            )
        ]

    def __str__(self) -> str:
        return self.title


class RsvpStatus(models.TextChoices):
    GOING = "going", _("Going")
    WAITLIST = "waitlist", _("On the waiting list")
    CANCELLED = "cancelled", _("Not going")


class Rsvp(models.Model):
    event = models.ForeignKey(ChapterEvent, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=RsvpStatus.choices)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint("event", "user", name="rsvp_once")]
        ordering = ["updated_at", "pk"]


# --- forums ------------------------------------------------------------------------------------


# Forums that are not a sector (sector forums take the sector's name).
TOPICS = {
    "freelancing": (
        _("Freelancing"),
        _("Finding clients abroad, pricing, proposals, contracts and getting paid."),
    ),
    "careers": (
        _("Careers"),
        _("Jobs, working abroad, further study and professional registration."),
    ),
    "startups": (
        _("Startups"),
        _("Building an engineering company: product, funding, first customers."),
    ),
}


class Category(models.Model):
    """A forum: one per sector or topic, and one per chapter (readable by its members only)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    sector = models.CharField(max_length=32, choices=Sector.choices, blank=True)
    chapter = models.OneToOneField(
        Chapter, null=True, blank=True, on_delete=models.CASCADE, related_name="category"
    )
    position = models.PositiveSmallIntegerField(default=0)
    threads_count = models.PositiveIntegerField(default=0, editable=False)
    last_posted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        if self.sector:
            return str(Sector(self.sector).label)
        if self.slug in TOPICS:
            return str(TOPICS[self.slug][0])
        return self.name

    @property
    def display_description(self) -> str:
        if self.chapter_id:
            return str(_("For members of the %(name)s chapter.") % {"name": self.name})
        if self.sector:
            return str(
                _("Engineering in %(sector)s: questions, projects, work and research.")
                % {"sector": Sector(self.sector).label}
            )
        if self.slug in TOPICS:
            return str(TOPICS[self.slug][1])
        return self.description


class Thread(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="threads")
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=160)
    created_at = models.DateTimeField(auto_now_add=True)
    last_posted_at = models.DateTimeField(db_index=True)
    replies_count = models.PositiveIntegerField(default=0)  # visible replies
    locked_at = models.DateTimeField(null=True, blank=True)
    lock_reason = models.CharField(max_length=300, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    solution = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-last_posted_at", "-pk"]
        indexes = [models.Index(fields=["category", "-last_posted_at"], name="thread_category_idx")]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """The opening post of a thread (``number`` 1) or a reply."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="community_posts")
    body = models.TextField(max_length=20000)
    body_html = models.TextField(editable=False)
    # The form's one-time key: the same submission sent twice (a retry on a dropped
    # connection) finds the first post instead of making a second.
    nonce = models.CharField(max_length=40)
    # People whose @handle the post links, as user ids (notified once each).
    mentioned = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    flags_open = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint("thread", "number", name="post_number_unique"),
            models.UniqueConstraint("author", "nonce", name="post_nonce_once"),
        ]


class Subscription(models.Model):
    """Watching a thread (replies) or a category (new threads)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "user", "thread", condition=Q(thread__isnull=False), name="subscription_thread"
            ),
            models.UniqueConstraint(
                "user",
                "category",
                condition=Q(category__isnull=False),
                name="subscription_category",
            ),
            models.CheckConstraint(
                condition=Q(thread__isnull=True, category__isnull=False)
                | Q(thread__isnull=False, category__isnull=True),
                name="subscription_one_target",
            ),
        ]


class PostNotice(models.Model):
    """A notification that was sent about a post: one per person and post, whatever the
    reasons (mentioned, watching the thread, watching the category), however often the task
    runs."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=16)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint("post", "user", name="post_notice_once")]


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive or harassing")
    OFF_TOPIC = "off_topic", _("Off topic")
    PRIVATE = "private", _("Shares someone's private information")
    OTHER = "other", _("Something else")


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    note = models.CharField(_("note for the moderators"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=16, blank=True)  # "hidden" / "dismissed"

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint("post", "user", name="flag_once")]


class ModerationAction(models.Model):
    """The forum's audit trail, readable by moderators: every hide, lock, move and ban with its
    reason.  (Each is also written to the platform's audit log.)"""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    moderator = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=16)
    reason = models.CharField(max_length=300)
    thread = models.ForeignKey(Thread, null=True, on_delete=models.SET_NULL, related_name="+")
    post = models.ForeignKey(Post, null=True, on_delete=models.SET_NULL, related_name="+")
    target_user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]


# --- Hall of Fame ------------------------------------------------------------------------------


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the council")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not accepted")


class Nomination(models.Model):
    nominee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="nominations")
    nominator = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    citation = models.TextField(_("citation"), max_length=3000)
    citation_html = models.TextField(editable=False)
    status = models.CharField(
        max_length=16, choices=NominationStatus.choices, default=NominationStatus.SUBMITTED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "nominee",
                "nominator",
                condition=Q(status="submitted"),
                name="nomination_open_once",
            )
        ]


class HonourStatus(models.TextChoices):
    AWAITING_CONSENT = "awaiting", _("Waiting for the engineer's consent")
    PUBLISHED = "published", _("Published")
    DECLINED = "declined", _("Declined by the engineer")
    WITHDRAWN = "withdrawn", _("Withdrawn by the council")


class Honour(models.Model):
    """A place in the Hall of Fame.  It is published only when the engineer agrees."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="honours")
    nomination = models.OneToOneField(
        Nomination, null=True, on_delete=models.SET_NULL, related_name="honour"
    )
    year = models.PositiveSmallIntegerField()
    slug = models.SlugField(max_length=40, unique=True)
    citation = models.TextField(max_length=3000)
    citation_html = models.TextField(editable=False)
    status = models.CharField(
        max_length=16, choices=HonourStatus.choices, default=HonourStatus.AWAITING_CONSENT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "user",
                "year",
                condition=~Q(status__in=["declined", "withdrawn"]),
                name="honour_once_a_year",
            )
        ]


# --- advisory panels and curriculum reviews -----------------------------------------------------


class CallKind(models.TextChoices):
    ADVISORY_PANEL = "advisory_panel", _("Government advisory panel")
    CURRICULUM_REVIEW = "curriculum_review", _("Curriculum review")


class CallStatus(models.TextChoices):
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Closed: selecting")
    SELECTED = "selected", _("Panel selected")


class Call(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=24, choices=CallKind.choices)
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("terms of reference"), max_length=10000)
    body_html = models.TextField(editable=False)
    discipline = models.CharField(
        _("discipline (for a curriculum review)"),
        max_length=16,
        choices=Discipline.choices,
        blank=True,
    )
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    seats = models.PositiveSmallIntegerField(
        _("panel seats"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    closes_on = models.DateField(_("applications close on"))
    status = models.CharField(max_length=16, choices=CallStatus.choices, default=CallStatus.OPEN)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    selected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class PanelApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SELECTED = "selected", _("Selected for the panel")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PanelApplication(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    statement = models.TextField(_("your expertise for this panel"), max_length=5000)
    statement_html = models.TextField(editable=False)
    status = models.CharField(
        max_length=16,
        choices=PanelApplicationStatus.choices,
        default=PanelApplicationStatus.APPLIED,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint("call", "applicant", name="panel_apply_once")]


class PanelDocument(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=160)
    file = models.CharField(max_length=120)  # storage name, random
    filename = models.CharField(max_length=120)  # cleaned, for the download
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class PanelComment(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="comments")
    document = models.ForeignKey(
        PanelDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=5000)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
