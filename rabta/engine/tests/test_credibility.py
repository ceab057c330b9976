from dataclasses import replace

import pytest

from rabta.engine.credibility import (
    WEIGHTS,
    CaseStudy,
    PortfolioSnapshot,
    credibility_score,
    quantified,
)

PATHWAY_SKILLS = frozenset({"s1", "s2", "s3", "s4"})


def case(n: int, **changes: object) -> CaseStudy:
    base = CaseStudy(
        title=f"Clinic block {n}: structural model",
        problem="The client's architect needed a code-checked frame for a 4-storey clinic.",
        role="Sole structural modeller, reporting to the engineer of record.",
        tools="ETABS, ACI 318",
        delivered="ETABS model, design report and 14 drawings.",
        outcome="Approved first time; steel tonnage cut by 12%.",
        skills=frozenset({"s1", "s2", "s3"}),
        attachments=2,
        public=True,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def strong() -> PortfolioSnapshot:
    return PortfolioSnapshot(
        headline="Structural design and ETABS modelling for mid-rise buildings",
        overview="x" * 400,
        items=(case(1), case(2), case(3)),
        pathway_skills=PATHWAY_SKILLS,
    )


def points(snapshot: PortfolioSnapshot) -> dict[str, float]:
    return {check.code: check.points for check in credibility_score(snapshot).checks}


def test_weights_add_up_to_a_hundred():
    assert sum(WEIGHTS.values()) == 100


def test_a_strong_portfolio_scores_full_marks_with_every_check_met():
    result = credibility_score(strong())
    assert result.score == 100
    assert all(check.met for check in result.checks)


def test_an_empty_portfolio_scores_only_for_having_no_contact_details():
    result = credibility_score(PortfolioSnapshot(headline="", overview="", items=()))
    assert result.score == WEIGHTS["no_contact_details"]


@pytest.mark.parametrize(
    ("code", "change"),
    [
        ("headline", {"headline": "Engineer"}),
        ("headline", {"headline": "short"}),
        ("overview", {"overview": "x" * 150}),
        ("case_studies", {"items": (case(1, problem=""), case(2), case(3))}),
        ("quantified", {"items": (case(1, outcome="The client was happy."), case(2), case(3))}),
        ("evidence", {"items": (case(1, attachments=0), case(2), case(3))}),
        ("pathway_skills", {"pathway_skills": frozenset({"s9", "s8", "s7"})}),
        ("pathway_skills", {"pathway_skills": frozenset()}),
        ("no_contact_details", {"overview": "x" * 400 + " WhatsApp me on +92 300 1234567"}),
        (
            "no_contact_details",
            {"items": (case(1, role="Email ali@example.com"), case(2), case(3))},
        ),
    ],
)
def test_each_checklist_item_moves_the_score_on_its_own(code, change):
    before = points(strong())
    after = points(replace(strong(), **change))
    assert after[code] < before[code]
    assert {k: v for k, v in after.items() if k != code} == {
        k: v for k, v in before.items() if k != code
    }


def test_private_items_do_not_count_and_hiding_everything_loses_visibility():
    all_private = replace(strong(), items=tuple(replace(c, public=False) for c in strong().items))
    result = {c.code: c for c in credibility_score(all_private).checks}
    assert result["visible"].points == 0
    assert result["case_studies"].detail["have"] == 0
    # contact details in a private item are nobody's business but the owner's
    hidden_phone = replace(
        strong(), items=(*strong().items, case(4, role="+92 300 1234567", public=False))
    )
    assert points(hidden_phone)["no_contact_details"] == WEIGHTS["no_contact_details"]


def test_partial_credit_is_proportional():
    one_of_three = replace(
        strong(), items=(case(1), case(2, attachments=0), case(3, attachments=0))
    )
    assert points(one_of_three)["evidence"] == pytest.approx(WEIGHTS["evidence"] / 3, abs=0.1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cut review time from 10 to 4 days", True),
        ("Saved the client $12,000", True),
        ("Reduced steel by 12%", True),
        ("Delivered 40 drawings", True),
        ("The client was very happy", False),
        ("Great teamwork", False),
    ],
)
def test_quantified_outcomes(text, expected):
    assert quantified(text) is expected
