"""The forums: categories, discussions and their posts, who watches what and who was told."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rabta.accounts.reference import Sector
from rabta.community.models.chapters import Chapter

User = settings.AUTH_USER_MODEL


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
