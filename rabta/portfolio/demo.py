"""Demo portfolios: case studies with generated drawings for the named demo engineer and for some
of the assessed engineers with a chosen pathway, and their outcome logs."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from PIL import Image, ImageDraw

from rabta.accounts.models import EngineerProfile, User
from rabta.engine.pathways import Pathway
from rabta.engine.pathways import pathway as pathway_get
from rabta.portfolio import services
from rabta.portfolio.models import OutcomeEntry, OutcomeKind, Visibility
from rabta.profiling.models import EngagementOutcome, ProfileResult

CLIENTS = (
    "a hotel group in Dubai",
    "a contractor in Texas",
    "a design studio in Manchester",
    "a solar installer in Kenya",
    "a factory in Faisalabad",
    "a consultancy in Riyadh",
)
OUTCOMES = (
    "Delivered {n} drawings in {d} days; the client approved them without a second round.",
    "Cut the client's review time from {d} to {k} days.",
    "The client reused the model for {n} further units and hired me again.",
)


def drawing(rng: random.Random) -> bytes:
    """A plan-like line drawing: rooms, a grid and dimension ticks."""
    image = Image.new("RGB", (900, 600), "white")
    pen = ImageDraw.Draw(image)
    for x in range(50, 900, 100):
        pen.line([(x, 30), (x, 570)], fill=(200, 210, 230))
    for _ in range(6):
        x0, y0 = rng.randint(60, 600), rng.randint(60, 380)
        pen.rectangle(
            [x0, y0, x0 + rng.randint(80, 250), y0 + rng.randint(60, 180)],
            outline=(20, 40, 90),
            width=3,
        )
    pen.line([(60, 585), (840, 585)], fill=(120, 0, 0), width=1)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _case_studies(rng: random.Random, user: User, path: Pathway, today: date, tools: str) -> None:
    """Two or three of the pathway's deliverables as case studies, each with a drawing."""
    for n, deliverable in enumerate(path.deliverables[: rng.randint(2, 3)]):
        item = services.item_save(
            user=user,
            title=deliverable[:120],
            client=rng.choice(CLIENTS),
            year=today.year - rng.randint(0, 3),
            problem=f"The client needed {deliverable[0].lower()}{deliverable[1:]} to their "
            f"own standard, on a fixed deadline.",
            role="I was the engineer responsible for the work, from the brief to delivery.",
            tools=tools,
            delivered=deliverable,
            outcome=rng.choice(OUTCOMES).format(
                n=rng.randint(4, 60), d=rng.randint(5, 14), k=rng.randint(1, 4)
            ),
            pathway=path.slug,
            skills=[s.id for s in path.essential_skills[:3]],
            visibility=(Visibility.PUBLIC, Visibility.REDACTED, Visibility.PRIVATE)[n % 3]
            if n
            else Visibility.PUBLIC,
        )
        services.attachment_add(
            user=user,
            item_id=item.pk,
            name="drawing.png",
            data=drawing(rng),
            label="Drawing",
            cleared=True,
        )


def _first_engagement_entries(
    user_id: int, first: EngagementOutcome, today: date
) -> list[OutcomeEntry]:
    """The interview, contract and payment of a reported first engagement."""
    return [
        OutcomeEntry(
            owner_id=user_id,
            kind=OutcomeKind.INTERVIEW,
            happened_on=first.won_on - timedelta(days=3),
            platform=first.platform[:60],
            pathway=first.pathway,
        ),
        OutcomeEntry(
            owner_id=user_id,
            kind=OutcomeKind.CONTRACT,
            happened_on=first.won_on,
            platform=first.platform[:60],
            pathway=first.pathway,
            amount_usd=first.amount_usd,
        ),
        OutcomeEntry(
            owner_id=user_id,
            kind=OutcomeKind.EARNING,
            happened_on=min(today, first.won_on + timedelta(days=10)),
            platform=first.platform[:60],
            pathway=first.pathway,
            amount_usd=first.amount_usd * Decimal("0.9"),
        ),
    ]


def seed_portfolios(rng: random.Random, *, limit: int = 80) -> int:
    named = EngineerProfile.objects.order_by("pk").values_list("user_id", flat=True).first()
    results = (
        ProfileResult.objects.exclude(chosen_pathway="")
        .select_related("assessment")
        .order_by("assessment__user_id")
    )
    chosen = {r.assessment.user_id: r.chosen_pathway for r in results}
    user_ids = sorted(chosen)[:limit]
    if named in chosen and named not in user_ids:
        user_ids.insert(0, named)
    users = User.objects.in_bulk(user_ids)
    firsts = {o.user_id: o for o in EngagementOutcome.objects.filter(user_id__in=user_ids)}
    today = timezone.localdate()
    for user_id in user_ids:
        user = users[user_id]
        path = pathway_get(chosen[user_id])
        tools = ", ".join(t.split()[-1] for t in path.tools[:3])
        services.portfolio_update(
            user=user,
            headline=f"{path.title} for clients abroad: {tools}"[:120],
            summary=f"{path.summary}\n\nI work in fixed-price milestones funded on the platform "
            f"and reply within a day.",
            published=rng.random() < 0.7 or user_id == named,
        )
        _case_studies(rng, user, path, today, tools)
        first = firsts.get(user_id)
        entries = [
            OutcomeEntry(
                owner_id=user_id,
                kind=OutcomeKind.PROPOSALS,
                happened_on=today - timedelta(days=rng.randint(20, 60)),
                platform="Upwork",
                pathway=path.slug,
                count=rng.randint(3, 15),
            )
        ]
        if first is not None:
            entries += _first_engagement_entries(user_id, first, today)
        OutcomeEntry.objects.bulk_create(entries)
    return len(user_ids)
