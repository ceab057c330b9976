"""The first-engagement kit's reference content: how each platform works and what gets a profile
approved, and what works for getting paid from abroad in Pakistan.

Payment facts change.  Each one carries the date it was last reviewed and the source to check it
against; the kit marks any fact older than ``STALE_AFTER_DAYS`` so that nobody relies on an old
answer without knowing it.  Staff update a fact by editing it here and moving its date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STALE_AFTER_DAYS = 180


@dataclass(frozen=True)
class PlatformGuide:
    name: str
    how_it_works: Promise
    approval: tuple[Promise, ...]


PLATFORMS: dict[str, PlatformGuide] = {
    "Upwork": PlatformGuide(
        "Upwork",
        _(
            "Clients post jobs and freelancers send proposals, which cost Connects (credits). "
            "Work is paid through hourly contracts or fixed-price milestones that the client "
            "funds before you start."
        ),
        (
            _(
                "Profiles are reviewed before you can send proposals; crowded categories are refused more often, so choose the specialised category."
            ),
            _(
                "Complete the whole profile: a clear photo, a specific title, an overview that starts with what you deliver, and at least three portfolio items."
            ),
            _("Do not put email addresses, phone numbers or outside links in the profile."),
            _(
                "Start with smaller fixed-price jobs that match your portfolio closely; early reviews matter more than early income."
            ),
        ),
    ),
    "Freelancer.com": PlatformGuide(
        "Freelancer.com",
        _(
            "Clients post projects and contests; freelancers bid. Free accounts have a limited "
            "number of bids a month. Use milestone payments, which the client creates before work starts."
        ),
        (
            _("Verify your identity and payment method early: verified profiles are shown first."),
            _("Take the platform's skill tests for your main software; the badges show on bids."),
            _(
                "Bid only on projects you can show similar work for, and answer the client's questions in the first lines."
            ),
        ),
    ),
    "Fiverr": PlatformGuide(
        "Fiverr",
        _(
            "You publish gigs: fixed packages that clients buy from search results. The platform "
            "holds the payment until the order is delivered and accepted."
        ),
        (
            _(
                "Gig images must be your own work; images copied from the internet get gigs removed."
            ),
            _(
                "Never share contact details or ask to be paid outside the platform: accounts are suspended for it."
            ),
            _(
                "Offer three packages with clear differences and a realistic delivery time; late deliveries hurt new sellers most."
            ),
        ),
    ),
    "Toptal": PlatformGuide(
        "Toptal",
        _(
            "A screened network: applicants pass language, skills and test-project stages, and "
            "clients are matched to freelancers by the platform."
        ),
        (
            _(
                "Apply after you have a strong portfolio and recent client work; the screening is long and accepts few."
            ),
            _("Prepare to explain your past projects in detail in English on a video call."),
        ),
    ),
}


@dataclass(frozen=True)
class PaymentFact:
    method: Promise
    status: str  # "works", "partly", "no"
    detail: Promise
    source: str
    reviewed_on: dt.date

    def stale(self, today: dt.date) -> bool:
        return (today - self.reviewed_on).days > STALE_AFTER_DAYS


REVIEWED = dt.date(2026, 11, 21)

PAYMENT_FACTS: tuple[PaymentFact, ...] = (
    PaymentFact(
        _("Payment through the platform (milestones, escrow)"),
        "works",
        _(
            "The safest way to be paid: the client funds the milestone before you start, and the platform releases it when the work is accepted."
        ),
        "Platform help pages (Upwork, Fiverr, Freelancer.com)",
        REVIEWED,
    ),
    PaymentFact(
        _("Upwork direct to a Pakistani bank account"),
        "works",
        _("Upwork can pay your earnings directly into a bank account in Pakistan, in rupees."),
        "Upwork Help: getting paid, Direct to Local Bank",
        REVIEWED,
    ),
    PaymentFact(
        _("Payoneer"),
        "works",
        _(
            "Receives from Upwork, Fiverr, Freelancer.com and clients' invoices; you withdraw to your Pakistani bank account in rupees. Fiverr pays out through Payoneer."
        ),
        "Payoneer (payoneer.com) and Fiverr Help: withdrawal methods",
        REVIEWED,
    ),
    PaymentFact(
        _("Bank transfer (SWIFT) to your own bank account"),
        "works",
        _(
            "A direct client can pay your Pakistani bank account by SWIFT. Give your IBAN and your bank's SWIFT code, and ask the bank to record it as freelance (IT services export) income. Both banks may charge fees."
        ),
        "Your bank; State Bank of Pakistan guidance on home remittances and IT exports",
        REVIEWED,
    ),
    PaymentFact(
        _("Freelancer accounts at Pakistani banks"),
        "partly",
        _(
            "Banks offer freelancer (IT export) accounts in which part of your foreign earnings can be kept in dollars. Terms differ by bank; ask yours."
        ),
        "State Bank of Pakistan circulars on freelancer accounts; your bank",
        REVIEWED,
    ),
    PaymentFact(
        _("Tax on foreign earnings"),
        "partly",
        _(
            "Earnings from IT and engineering services received through banks can be taxed at a reduced final rate when you are registered with the Pakistan Software Export Board. Check the current rate with FBR before you rely on it."
        ),
        "FBR; Pakistan Software Export Board (PSEB)",
        REVIEWED,
    ),
    PaymentFact(
        _("Wise"),
        "partly",
        _(
            "Someone abroad can send money through Wise to a rupee bank account in Pakistan, but people living in Pakistan cannot open a Wise account to receive payments."
        ),
        "Wise: countries and currencies supported",
        REVIEWED,
    ),
    PaymentFact(
        _("PayPal"),
        "no",
        _(
            "PayPal does not let people in Pakistan open an account that receives payments. A client who insists on PayPal must pay through the platform or one of the methods above."
        ),
        "PayPal: list of supported countries",
        REVIEWED,
    ),
    PaymentFact(
        _("Stripe"),
        "no",
        _("Stripe does not support accounts for people or businesses based in Pakistan."),
        "Stripe: global availability",
        REVIEWED,
    ),
    PaymentFact(
        _("Cryptocurrency"),
        "no",
        _(
            "Not legal tender in Pakistan, and banks may not deal in it. A client who wants to pay in crypto or USDT is a warning sign."
        ),
        "State Bank of Pakistan, BPRD circular on virtual currencies (2018)",
        REVIEWED,
    ),
)


def platform_guides(platform_names: list[str]) -> list[PlatformGuide]:
    return [PLATFORMS[name] for name in dict.fromkeys(platform_names) if name in PLATFORMS]
