"""Proposal builder: checks on an engineer's draft, and the plain-text proposal it assembles.

A first proposal from a new freelancer usually fails in the same few ways: it opens with
"Dear Sir, I am interested in your job", says nothing about this client's need, pastes the job
post back, promises "100% satisfaction" instead of steps, asks for the whole budget up front, and
sometimes carries a phone number that gets the account flagged.  Clients skim dozens of
proposals, so what wins is the opposite: the client's need said back in the engineer's own
words, a short concrete plan, a small first milestone funded on the platform, one relevant piece
of past work and a question or two that show the engineer has read the post.

Each check has a stable ``code``; ``CHECK_TITLES`` says what is checked and ``CHECK_ADVICE`` how
to fix it, in English, for the Django side to translate.  Checks marked critical make a proposal
weak on their own: a proposal with no link to the post, no funded milestone or with contact
details should not be sent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rabta.engine.contact import contact_spans
from rabta.engine.i18n import N_

MIN_SHARED_WORDS = 3
MAX_COPIED_SHARE = 0.5  # of the understanding's word 5-grams found in the job post
NGRAM = 5
MIN_STEPS = 2
MIN_APPROACH_CHARS = 120
MILESTONE_BUDGET_SHARE = Decimal("0.4")
MILESTONE_MAX_USD = Decimal("300")  # when the post states no budget
MILESTONE_MAX_DAYS = 14
MIN_QUESTIONS = 1
MAX_QUESTIONS = 3
MIN_CHARS = 400
MAX_CHARS = 3000
MAX_FAILED = 2  # more failed checks than this make a proposal weak


@dataclass(frozen=True)
class ProposalDraft:
    job_post: str  # the client's job description, pasted
    understanding: str  # the engineer's restatement of the need
    approach: str  # how they would do it (steps, lines or sentences)
    milestone_title: str
    milestone_amount: Decimal | None  # USD
    milestone_days: int | None
    questions: str  # one or more questions, one per line
    client_budget: Decimal | None = None  # USD, if the post states one
    portfolio_title: str = ""  # a portfolio item the engineer points to, "" if none
    portfolio_url: str = ""
    signature: str = ""  # first name


@dataclass(frozen=True)
class ProposalCheck:
    code: str
    ok: bool
    critical: bool


CRITICAL = frozenset({"understanding_specific", "milestone_funded", "no_contact_details"})

CHECK_TITLES: dict[str, str] = {
    "understanding_specific": N_("Says back what this client needs"),
    "not_copied": N_("Written in your own words"),
    "no_generic_opening": N_("No copy-paste opening"),
    "approach_concrete": N_("Concrete steps"),
    "milestone_funded": N_("A first milestone with a title, price and days"),
    "milestone_small": N_("A small first milestone"),
    "asks_questions": N_("One to three questions"),
    "length": N_("Right length"),
    "no_contact_details": N_("No contact details"),
    "shows_relevant_work": N_("Shows relevant past work"),
}

CHECK_ADVICE: dict[str, str] = {
    "understanding_specific": (
        N_(
            "Say the client's need back in one or two sentences, using the words of their post: "
            "the building, the software, the drawings they want."
        )
    ),
    "not_copied": (
        N_(
            "Do not paste the job post back. Say what you understood in your own words; the client "
            "knows what they wrote."
        )
    ),
    "no_generic_opening": (
        N_(
            "Remove openings like 'Dear Sir' or 'I am interested in your job' and promises like "
            "'100% satisfaction'. Start with the client's need."
        )
    ),
    "approach_concrete": (
        N_(
            "Write at least two steps, one per line, saying what you will do and what you will "
            "deliver (for example: 'Check the loads and the soil report', 'Model the frame in "
            "ETABS')."
        )
    ),
    "milestone_funded": (
        N_(
            "Propose a first milestone with a title, a price in USD and the number of days. You "
            "start only when the client has funded it on the platform."
        )
    ),
    "milestone_small": (
        N_(
            "Keep the first milestone small: at most 40 percent of the client's budget (or 300 USD "
            "if no budget is given) and at most 14 days. Trust grows with each paid milestone."
        )
    ),
    "asks_questions": (
        N_("Ask one to three short questions that show you read the post, each ending with '?'.")
    ),
    "length": (
        N_(
            "Keep the proposal between 400 and 3,000 characters: long enough to show your plan, "
            "short enough to be read."
        )
    ),
    "no_contact_details": (
        N_(
            "Remove phone numbers, e-mail addresses, messenger names and links. Platforms suspend "
            "accounts that share contact details before a contract. Only the portfolio link may be "
            "a web address."
        )
    ),
    "shows_relevant_work": (
        N_(
            "Point to one piece of past work that is like this job, from your portfolio or a "
            "university project."
        )
    ),
}

# Headings of the assembled proposal, kept with the other English text so that they can be
# translated with it.
TEXT: dict[str, str] = {
    "approach": "How I would do it:",
    "milestone": "First milestone",
    "milestone_funded": "funded on the platform before I start.",
    "delivered_in_day": "delivered in {days} day",
    "delivered_in_days": "delivered in {days} days",
    "relevant_work": "Relevant work:",
    "questions": "Questions:",
    "regards": "Regards,",
}

GENERIC_OPENINGS = (
    "dear sir",
    "dear madam",
    "to whom it may concern",
    "i am interested in your job",
    "i have read your job",
    "i can do this job",
    "hello sir",
    "hi sir",
    "respected sir",
    "i am the best",
    "100% satisfaction",
)
# A phrase counts at the start of a word: "hi sir" is not in "delhi sir".
_GENERIC = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(p) for p in GENERIC_OPENINGS) + ")")

# Words that say nothing about a particular job: a restatement sharing only these with the post
# is not specific.
_STOPWORD_LIST = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing done down during each few for
    from further had has have having he her here hers him his how i if in into is it its itself
    just me more most my no nor not now of off on once only or other our ours out over own same
    she should so some such than that the their theirs them then there these they this those
    through to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself us get got make made want wants wanted need needs needed
    looking look someone somebody anyone help project job work working task client freelancer
    expert experience experienced hello dear sir madam please thanks thank regards hi best
    good great new like well one two three use using used able sure etc per via
    """
STOPWORDS = frozenset(_STOPWORD_LIST.split())

_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# "1.", "2)", "-", "*", "•" at the start of a step the engineer numbered themselves.
_STEP_MARK = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*\u2022])\s+")
_SPACES = re.compile(r"\s+")


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _meaningful_words(text: str) -> set[str]:
    words = (_singular(w) for w in _WORD.findall(text.lower()) if len(w) >= 3)
    return {w for w in words if w not in STOPWORDS}


def _ngrams(text: str) -> list[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return [tuple(words[i : i + NGRAM]) for i in range(len(words) - NGRAM + 1)]


def _items(text: str) -> list[str]:
    """Steps or questions: one per line, or, written as one paragraph, one per sentence."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) == 1:
        lines = [s.strip() for s in _SENTENCE_END.split(lines[0]) if s.strip()]
    return [_STEP_MARK.sub("", line).strip() for line in lines]


def _questions(text: str) -> list[str]:
    return [item for item in _items(text) if item.endswith("?")]


def format_amount(amount: Decimal) -> str:
    """150 -> "150", 150.5 -> "150.50", 1500 -> "1,500": cents only when there are cents."""
    cents = amount.quantize(Decimal("0.01"))
    if cents == cents.to_integral_value():
        return f"{cents:,.0f}"
    return f"{cents:,.2f}"


def _milestone_line(draft: ProposalDraft) -> str:
    parts: list[str] = []
    head = TEXT["milestone"]
    title = draft.milestone_title.strip()
    if title:
        head += f": {title}"
    if draft.milestone_amount is not None:
        head += f": {format_amount(draft.milestone_amount)} USD"
    parts.append(head)
    if draft.milestone_days is not None:
        key = "delivered_in_day" if draft.milestone_days == 1 else "delivered_in_days"
        parts.append(TEXT[key].format(days=draft.milestone_days))
    parts.append(TEXT["milestone_funded"])
    return ", ".join(parts)


def proposal_text(draft: ProposalDraft) -> str:
    """The proposal as plain text, ready to paste into the platform."""
    blocks = (
        draft.understanding.strip(),
        _approach_block(draft),
        _milestone_block(draft),
        _work_block(draft),
        _questions_block(draft),
        _regards_block(draft),
    )
    return "\n\n".join(block for block in blocks if block)


def _approach_block(draft: ProposalDraft) -> str:
    """The approach as numbered steps; empty without steps."""
    steps = _items(draft.approach)
    if not steps:
        return ""
    numbered = "\n".join(f"{i}. {step}" for i, step in enumerate(steps, 1))
    return f"{TEXT['approach']}\n{numbered}"


def _milestone_block(draft: ProposalDraft) -> str:
    """The first milestone's line; empty when nothing of it is filled in."""
    if (
        draft.milestone_title.strip()
        or draft.milestone_amount is not None
        or draft.milestone_days is not None
    ):
        return _milestone_line(draft)
    return ""


def _work_block(draft: ProposalDraft) -> str:
    """The relevant work's title and link; empty when neither is given."""
    work = " ".join(p for p in (draft.portfolio_title.strip(), draft.portfolio_url.strip()) if p)
    return f"{TEXT['relevant_work']} {work}" if work else ""


def _questions_block(draft: ProposalDraft) -> str:
    """The questions for the client, one a line; empty without any."""
    questions = [line.strip() for line in draft.questions.splitlines() if line.strip()]
    return TEXT["questions"] + "\n" + "\n".join(questions) if questions else ""


def _regards_block(draft: ProposalDraft) -> str:
    """The closing, always present, with the signature under it when there is one."""
    signature = draft.signature.strip()
    return TEXT["regards"] + (f"\n{signature}" if signature else "")


def _has_contact_details(draft: ProposalDraft) -> bool:
    fields = (
        draft.understanding,
        draft.approach,
        draft.milestone_title,
        draft.questions,
        draft.portfolio_title,
        draft.signature,
    )
    if any(contact_spans(field) for field in fields):
        return True
    url = draft.portfolio_url.strip()
    # The portfolio link is the one web address a proposal may carry, and only as a plain link.
    return any(
        kind != "link" or not url.lower().startswith(("http://", "https://"))
        for _, _, kind in contact_spans(url)
    )


def _milestone_small(draft: ProposalDraft) -> bool:
    amount, days = draft.milestone_amount, draft.milestone_days
    # A missing amount or number of days is the milestone_funded check's failure, not this one's.
    if amount is not None:
        budget = draft.client_budget
        limit = budget * MILESTONE_BUDGET_SHARE if budget else MILESTONE_MAX_USD
        if amount > limit:
            return False
    return days is None or days <= MILESTONE_MAX_DAYS


def proposal_checks(draft: ProposalDraft) -> tuple[ProposalCheck, ...]:
    """Every check on the draft, in the order of ``CHECK_TITLES``."""
    shared = _meaningful_words(draft.understanding) & _meaningful_words(draft.job_post)
    grams = _ngrams(draft.understanding)
    post_grams = set(_ngrams(draft.job_post))
    copied = sum(g in post_grams for g in grams)
    opening = _SPACES.sub(" ", f"{draft.understanding}\n{draft.approach}".lower())
    steps = _items(draft.approach)
    questions = _questions(draft.questions)
    amount = draft.milestone_amount
    ok = {
        "understanding_specific": len(shared) >= MIN_SHARED_WORDS,
        "not_copied": not grams or copied / len(grams) < MAX_COPIED_SHARE,
        "no_generic_opening": _GENERIC.search(opening) is None,
        "approach_concrete": len(steps) >= MIN_STEPS
        and len(draft.approach.strip()) >= MIN_APPROACH_CHARS,
        "milestone_funded": bool(draft.milestone_title.strip())
        and amount is not None
        and amount > 0
        and draft.milestone_days is not None
        and draft.milestone_days > 0,
        "milestone_small": _milestone_small(draft),
        "asks_questions": MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS,
        "length": MIN_CHARS <= len(proposal_text(draft)) <= MAX_CHARS,
        "no_contact_details": not _has_contact_details(draft),
        "shows_relevant_work": bool(draft.portfolio_title.strip()),
    }
    return tuple(ProposalCheck(code, ok[code], code in CRITICAL) for code in CHECK_TITLES)


def proposal_weak(checks: Sequence[ProposalCheck]) -> bool:
    """Weak: a critical check failed, or more than two checks failed."""
    failed = [check for check in checks if not check.ok]
    return any(check.critical for check in failed) or len(failed) > MAX_FAILED
