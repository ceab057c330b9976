from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from rabta.engine.proposals import (
    CHECK_ADVICE,
    CHECK_TITLES,
    ProposalCheck,
    ProposalDraft,
    format_amount,
    proposal_checks,
    proposal_text,
    proposal_weak,
)

JOB_POST = (
    "We are building a three storey reinforced concrete house in Lahore (G+2, 10 marla). We need "
    "a structural engineer to model the frame in ETABS, design the beams, columns and slabs to "
    "ACI 318 and the Building Code of Pakistan, and prepare reinforcement drawings in AutoCAD. "
    "The soil report is available. Budget: $600."
)

STRONG = ProposalDraft(
    job_post=JOB_POST,
    understanding=(
        "You have a G+2 concrete house on a 10 marla plot in Lahore and want the frame analysed "
        "in ETABS, the beams, columns and slabs designed to ACI 318 and BCP, and clear "
        "reinforcement drawings your contractor can build from."
    ),
    approach=(
        "Read the soil report and the architectural plans, and fix the loads.\n"
        "Model the frame in ETABS and check drift and deflections.\n"
        "Design beams, columns and slabs to ACI 318 and BCP 2021.\n"
        "Draw reinforcement details in AutoCAD and send a short design note."
    ),
    milestone_title="ETABS model and load calculations",
    milestone_amount=Decimal("150"),
    milestone_days=5,
    questions=(
        "Are the architectural plans final?\nShould the design allow for a future third floor?"
    ),
    client_budget=Decimal("600"),
    portfolio_title="ETABS design of a G+3 house in Multan",
    portfolio_url="https://www.behance.net/gallery/123456789/etabs-house",
    signature="Ahmed",
)

FILLER = (
    "I have designed many similar houses and I will keep you updated by message after every "
    "step of the work. "
)

# For each check, a change to the strong draft that breaks that check and no other.
BREAKERS: dict[str, dict[str, Any]] = {
    "understanding_specific": {
        "understanding": (
            "I will make sure your plans turn into something you can rely on, with careful "
            "checks at every stage and regular updates."
        )
    },
    "not_copied": {
        "understanding": (
            "We need a structural engineer to model the frame in ETABS, design the beams, "
            "columns and slabs to ACI 318 and the Building Code of Pakistan."
        )
    },
    "no_generic_opening": {"understanding": "Dear Sir/Madam, " + STRONG.understanding},
    "approach_concrete": {"approach": "I will do the full design in ETABS quickly."},
    "milestone_funded": {"milestone_title": ""},
    "milestone_small": {"milestone_days": 30},
    "asks_questions": {"questions": ""},
    "length": {"understanding": STRONG.understanding + " " + FILLER * 30},
    "no_contact_details": {"signature": "Ahmed, WhatsApp 0300-1234567"},
    "shows_relevant_work": {"portfolio_title": "", "portfolio_url": ""},
}


def failed(draft):
    return {check.code for check in proposal_checks(draft) if not check.ok}


def test_the_strong_draft_passes_every_check():
    checks = proposal_checks(STRONG)
    assert [check.code for check in checks] == list(CHECK_TITLES)
    assert all(check.ok for check in checks)
    assert not proposal_weak(checks)


def test_every_check_has_a_breaker_and_text():
    assert set(BREAKERS) == set(CHECK_TITLES) == set(CHECK_ADVICE)


@pytest.mark.parametrize("code", list(BREAKERS))
def test_breaking_one_thing_fails_exactly_that_check(code):
    assert failed(replace(STRONG, **BREAKERS[code])) == {code}


def test_critical_checks():
    critical = {check.code for check in proposal_checks(STRONG) if check.critical}
    assert critical == {"understanding_specific", "milestone_funded", "no_contact_details"}


def test_weak_when_a_critical_check_fails_or_more_than_two_fail():
    one_critical = proposal_checks(replace(STRONG, milestone_title=""))
    assert proposal_weak(one_critical)
    two_minor = proposal_checks(replace(STRONG, milestone_days=30, questions=""))
    assert not proposal_weak(two_minor)
    three_minor = proposal_checks(
        replace(STRONG, milestone_days=30, questions="", portfolio_title="")
    )
    assert proposal_weak(three_minor)
    assert proposal_weak([ProposalCheck(code, False, False) for code in ("a", "b", "c")])
    assert not proposal_weak([ProposalCheck("a", False, False)])


def test_assembly_has_the_parts_in_order():
    text = proposal_text(STRONG)
    parts = [
        STRONG.understanding,
        "How I would do it:\n1. Read the soil report",
        "2. Model the frame in ETABS",
        "4. Draw reinforcement details",
        "First milestone: ETABS model and load calculations: 150 USD, delivered in 5 days, "
        "funded on the platform before I start.",
        "Relevant work: ETABS design of a G+3 house in Multan https://www.behance.net/",
        "Questions:\nAre the architectural plans final?\nShould the design",
        "Regards,\nAhmed",
    ]
    positions = [text.index(part) for part in parts]
    assert positions == sorted(positions)
    assert text.startswith(STRONG.understanding)
    assert text.endswith("Regards,\nAhmed")
    assert "dear sir" not in text.lower()


def test_steps_written_as_sentences_or_already_numbered_are_numbered_once():
    sentences = replace(STRONG, approach="Check the loads. Model the frame in ETABS.")
    assert "1. Check the loads.\n2. Model the frame in ETABS." in proposal_text(sentences)
    numbered = replace(STRONG, approach="1. Check the loads\n2) Model the frame\n- Draw it")
    assert "1. Check the loads\n2. Model the frame\n3. Draw it" in proposal_text(numbered)


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (Decimal("150"), "150"),
        (Decimal("150.00"), "150"),
        (Decimal("150.5"), "150.50"),
        (Decimal("99.999"), "100"),
        (Decimal("1500"), "1,500"),
    ],
)
def test_amounts_have_no_trailing_zero_noise(amount, written):
    assert format_amount(amount) == written
    text = proposal_text(replace(STRONG, milestone_amount=amount))
    assert f": {written} USD, delivered" in text


def test_missing_milestone_parts_are_left_out():
    no_amount = proposal_text(replace(STRONG, milestone_amount=None))
    assert (
        "First milestone: ETABS model and load calculations, delivered in 5 days, funded on the "
        "platform before I start." in no_amount
    )
    one_day = proposal_text(replace(STRONG, milestone_title="", milestone_days=1))
    assert "First milestone: 150 USD, delivered in 1 day, funded" in one_day
    nothing = replace(STRONG, milestone_title="", milestone_amount=None, milestone_days=None)
    assert "First milestone" not in proposal_text(nothing)
    unsigned = replace(STRONG, signature="", portfolio_title="", portfolio_url="")
    assert proposal_text(unsigned).endswith("Questions:\n" + STRONG.questions + "\n\nRegards,")
    assert "Relevant work" not in proposal_text(unsigned)


def test_milestone_limits():
    assert "milestone_small" in failed(replace(STRONG, milestone_amount=Decimal("241")))
    assert "milestone_small" not in failed(replace(STRONG, milestone_amount=Decimal("240")))
    no_budget = replace(STRONG, client_budget=None)
    assert "milestone_small" not in failed(replace(no_budget, milestone_amount=Decimal("300")))
    assert "milestone_small" in failed(replace(no_budget, milestone_amount=Decimal("300.01")))
    assert "milestone_funded" in failed(replace(STRONG, milestone_amount=Decimal("0")))
    assert "milestone_funded" in failed(replace(STRONG, milestone_days=None))


def test_questions_are_counted_by_question_marks():
    one_line = replace(STRONG, questions="Is the soil report recent? Which ETABS version?")
    assert "asks_questions" not in failed(one_line)
    four = replace(STRONG, questions="A?\nB?\nC?\nD?")
    assert "asks_questions" in failed(four)
    no_mark = replace(STRONG, questions="Tell me the deadline")
    assert "asks_questions" in failed(no_mark)


@pytest.mark.parametrize(
    "change",
    [
        {"approach": STRONG.approach + "\nMail me at ahmed.khan@gmail.com for the files."},
        {"questions": "Can we talk on Skype?"},
        {"understanding": STRONG.understanding + " See www.ahmed-designs.com."},
        {"portfolio_url": "https://wa.me/923001234567"},
        {"portfolio_url": "ahmed at gmail dot com"},
    ],
)
def test_contact_details_anywhere_fail(change):
    assert "no_contact_details" in failed(replace(STRONG, **change))


def test_contact_details_in_the_job_post_are_not_the_engineers():
    draft = replace(STRONG, job_post=JOB_POST + " Call me on 0300-1234567.")
    assert "no_contact_details" not in failed(draft)


def test_plurals_and_stopwords_in_the_specific_check():
    post = "Need drawings for two warehouses and a canopy."
    draft = replace(
        STRONG,
        job_post=post,
        understanding="You need a drawing of each warehouse and the canopy.",
    )
    assert "understanding_specific" not in failed(draft)
    generic = replace(STRONG, job_post=post, understanding="You need help with this job.")
    assert "understanding_specific" in failed(generic)
