"""Scam checker for a message from a client, for engineers new to freelancing.

The scams that reach new freelancers are few and repeat themselves: move the chat to WhatsApp,
pay or get paid outside the platform, pay a "registration fee", deposit a cheque and send back
the difference, share your login or your CNIC, do "a small free sample first".  Each has telltale
wording, so a list of phrase patterns finds most of them, and says *why* a message is risky in
words a new freelancer can act on.  A pattern list cannot prove a message is safe, and the verdict
text says so.

Each finding is a ``ScamFlag`` with a stable ``code``; titles and advice are English text in
module dicts keyed by that code, for the Django side to translate (this package cannot import
Django).

Patterns are written for recall on short messages and for precision on ordinary ones: a genuine
client writing "I have funded the first milestone" or "the deadline is urgent" must not be told
they look like a scammer.  Three filters keep precision up without making the patterns unreadable:

* a negation just before a match ("never share your password", "don't start before the
  milestone is funded") drops it;
* some patterns are dropped when the client is the subject ("I will buy the licence") or when
  the platform is named next to them ("pay through Upwork to your Payoneer");
* contact details are found by ``rabta.engine.contact``, which already tells phones from dates.

All patterns run on a same-length, ASCII-lowercased copy of the text so that evidence is always
a slice of what the user pasted, and all are linear on hostile input (bounded gaps, no nested
quantifiers over overlapping classes).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from rabta.engine.contact import contact_spans
from rabta.engine.i18n import N_
from rabta.engine.scam_rules import RULES, Rule

EVIDENCE_CHARS = 80
SEVERITIES = ("high", "medium", "low")
VERDICTS = ("likely_scam", "caution", "no_red_flags")


@dataclass(frozen=True)
class ScamFlag:
    code: str
    severity: str  # high | medium | low
    evidence: str  # the words that raised the flag, as written, at most EVIDENCE_CHARS


@dataclass(frozen=True)
class ScamReport:
    verdict: str  # likely_scam | caution | no_red_flags
    flags: tuple[ScamFlag, ...]


SEVERITY: dict[str, str] = {
    "off_platform_chat": "high",
    "off_platform_payment": "high",
    "upfront_fee": "high",
    "overpayment": "high",
    "credentials": "high",
    "personal_documents": "high",
    "free_sample": "medium",
    "unverified_payment": "medium",
    "pressure": "low",
    "too_good": "low",
}

FLAG_TITLES: dict[str, str] = {
    "off_platform_chat": N_("Asks to talk outside the platform"),
    "off_platform_payment": N_("Asks to pay or be paid outside the platform"),
    "upfront_fee": N_("Asks you to pay money to get the work"),
    "overpayment": N_("Overpayment or cheque trick"),
    "credentials": N_("Asks for your password, code or account"),
    "personal_documents": N_("Asks for your ID or bank details"),
    "free_sample": N_("Asks for free work"),
    "unverified_payment": N_("Payment not verified or not funded"),
    "pressure": N_("Pushes you to hurry"),
    "too_good": N_("Pay that sounds too good"),
}

FLAG_ADVICE: dict[str, str] = {
    "off_platform_chat": (
        N_(
            "Keep all messages on the platform until a contract starts. The platform can only "
            "protect you, and can only see what was agreed, if the chat stays there. Sharing "
            "contact "
            "details early can also get your account suspended."
        )
    ),
    "off_platform_payment": (
        N_(
            "Only accept payment through the platform. Outside it you lose payment protection, and "
            "the platform can close your account. A real client pays the fee; they do not ask you "
            "to help them avoid it."
        )
    ),
    "upfront_fee": (
        N_(
            "Never pay to get work. Real clients do not charge registration, training or deposit "
            "fees, and do not make you buy software or equipment from their vendor."
        )
    ),
    "overpayment": (
        N_(
            "Do not deposit a cheque or send back any 'extra' money. The cheque or payment will "
            "bounce days later and the money you sent will be gone."
        )
    ),
    "credentials": (
        N_(
            "Never share your password, OTP or verification code, and never let anyone log in to "
            "or "
            "'rent' your account. The platform and your bank will never ask for them."
        )
    ),
    "personal_documents": (
        N_(
            "Do not send your CNIC, passport, bank login or card details to a client. Identity "
            "checks are done by the platform itself, never through a client."
        )
    ),
    "free_sample": (
        N_(
            "Do not do new work for free. Show samples from your portfolio instead, or offer a "
            "small "
            "paid first milestone."
        )
    ),
    "unverified_payment": (
        N_(
            "Do not start until the contract exists and the milestone is funded on the platform. "
            "Check the client's 'payment verified' badge before you reply."
        )
    ),
    "pressure": (
        N_(
            "Scammers rush you so that you do not think. Take the time to check the client, even "
            "if "
            "the work is genuinely urgent."
        )
    ),
    "too_good": (
        N_(
            "Very high pay for easy work, or for no experience, is a common bait. Compare the "
            "offer "
            "with what similar jobs pay on the platform."
        )
    ),
}

VERDICT_TEXT: dict[str, str] = {
    "likely_scam": (
        N_(
            "This message has signs of a scam. Do not reply with personal details, do not pay "
            "anything, and report the client to the platform."
        )
    ),
    "caution": (
        N_(
            "Be careful. Something in this message is unusual. Keep everything on the platform and "
            "do not start work until a milestone is funded."
        )
    ),
    "no_red_flags": (
        N_(
            "We found no red flags in this message. No check can prove that a client is genuine, "
            "so "
            "keep all chat and payment on the platform."
        )
    ),
}

# Same length as the input, so that spans in the folded copy slice the original text.
_FOLD = str.maketrans(
    string.ascii_uppercase + "\u2019\u2018\u02bc\u201c\u201d",
    string.ascii_lowercase + "'''\"\"",
)
_CONTACT_KINDS = frozenset({"email", "phone", "messenger"})
_CLAUSE_CHARS = 40
_CLAUSE_END = re.compile(r"[.!?;,\n]")
_NEGATED = re.compile(
    r"\b(?:don'?t|do\s+not|never|not|shouldn'?t|should\s+not|must\s+not|mustn'?t|doesn'?t|"
    r"does\s+not|no\s+one|nobody|will\s+never)\b(?:\W+\w+){0,3}\W*$"
)
# The client, not the engineer, is the one doing it ("I will buy the licence for you").
_CLIENT_SUBJECT = re.compile(
    r"\b(?:i|we|i'll|we'll|i'd|we'd|i'm|we're|i've|we've|ill)\b(?:\W+\w+){0,3}\W*$"
)


def _starts_word(folded: str, index: int) -> bool:
    return index == 0 or not (folded[index - 1].isalnum() or folded[index - 1] == "_")


def _clause_before(folded: str, start: int) -> str:
    window = folded[max(0, start - _CLAUSE_CHARS) : start]
    ends = [m.end() for m in _CLAUSE_END.finditer(window)]
    return window[ends[-1] :] if ends else window


def _kept(folded: str, rule: Rule, match: re.Match[str]) -> bool:
    before = _clause_before(folded, match.start())
    if _NEGATED.search(before):
        return False
    if rule.client_may_say and _CLIENT_SUBJECT.search(before):
        return False
    if rule.unless_near is not None:
        near = folded[max(0, match.start() - _CLAUSE_CHARS) : match.end() + _CLAUSE_CHARS]
        if rule.unless_near.search(near):
            return False
    return rule.unless_inside is None or not rule.unless_inside.search(match.group())


def _first_match(folded: str, rules: tuple[Rule, ...]) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for rule in rules:
        position = 0
        while (match := rule.pattern.search(folded, position)) is not None:
            if best is not None and match.start() >= best[0]:
                break
            if (not rule.word_start or _starts_word(folded, match.start())) and _kept(
                folded, rule, match
            ):
                best = match.span()
                break
            # Search again from the next character, not after this match: a dropped match
            # ("repay" for "pay") may overlap one that counts.
            position = match.start() + 1
    return best


def scam_check(text: str) -> ScamReport:
    """Red flags in a client's message, most severe first, and a verdict."""
    folded = text.translate(_FOLD)
    found: list[tuple[int, int, str]] = []  # severity rank, position, code
    evidence: dict[str, str] = {}
    contacts = [span for span in contact_spans(text) if span[2] in _CONTACT_KINDS]
    for code, rules in RULES.items():
        span = _flag_span(folded, code, rules, contacts)
        if span is None:
            continue
        found.append((SEVERITIES.index(SEVERITY[code]), span[0], code))
        evidence[code] = text[span[0] : span[1]][:EVIDENCE_CHARS]
    found.sort()
    flags = tuple(ScamFlag(code, SEVERITY[code], evidence[code]) for _, _, code in found)
    return ScamReport(_verdict(flags), flags)


def _flag_span(
    folded: str, code: str, rules: tuple[Rule, ...], contacts: list[tuple[int, int, str]]
) -> tuple[int, int] | None:
    """Where the flag ``code`` is first raised, if at all.  A contact detail is itself a request
    to chat off the platform, and counts when it comes before any wording that says so."""
    span = _first_match(folded, rules)
    if code == "off_platform_chat" and contacts and (span is None or contacts[0][0] < span[0]):
        return contacts[0][:2]
    return span


def _verdict(flags: tuple[ScamFlag, ...]) -> str:
    """Likely a scam on any high-severity flag, caution on any medium one."""
    severities = {flag.severity for flag in flags}
    if "high" in severities:
        return "likely_scam"
    if "medium" in severities:
        return "caution"
    return "no_red_flags"
