from hypothesis import given, settings
from hypothesis import strategies as st

from rabta.engine.interests import PATHWAY_THEMES, THEMES
from rabta.engine.pathways import pathway, pathways
from rabta.engine.plans import learning_plan
from rabta.engine.scoring import (
    LEVEL_CREDIT,
    Person,
    Readiness,
    Scorer,
    blend_demand,
    calibrate,
    interest_scores,
    readiness_score,
)
from rabta.engine.taxonomy import taxonomy


def skill_id(label: str) -> str:
    return next(s.id for s in taxonomy().skills if s.label == label)


def civil_cad_engineer() -> Person:
    return Person(
        skills={
            skill_id("use CAD software"): 4,
            skill_id("technical drawings"): 3,
            skill_id("interpret 2D plans"): 3,
            skill_id("building codes"): 2,
        },
        tools=frozenset({"Autodesk AutoCAD", "Autodesk Revit"}),
        interests={"draw": 0.9, "model": 0.7, "hardware": 0.1, "code": 0.2},
        readiness=Readiness(english_written=2, payment="ready", internet="patchy"),
        discipline="CIVIL",
    )


def test_every_pathway_has_interest_themes_that_sum_to_one():
    assert {p.slug for p in pathways()} == set(PATHWAY_THEMES)
    for weights in PATHWAY_THEMES.values():
        assert set(weights) <= set(THEMES)
        assert abs(sum(weights.values()) - 1) < 1e-3


def test_a_civil_engineer_with_autocad_and_revit_gets_cad_and_bim_not_pcb():
    ranked = Scorer(pathways()).score(civil_cad_engineer())
    slugs = [s.slug for s in ranked]
    assert set(slugs[:2]) == {"cad-drafting-3d-modelling", "bim-modelling"}
    assert slugs.index("pcb-design") > 10
    assert ranked[0].fit > ranked[slugs.index("pcb-design")].fit + 0.2


def test_explanations_name_the_supporting_skills_and_tools():
    cad = next(
        s for s in Scorer(pathways()).score(civil_cad_engineer()) if s.slug == "bim-modelling"
    )
    supported = {s.skill.label for s in cad.support}
    assert {
        "use CAD software",
        "technical drawings",
        "interpret 2D plans",
        "building codes",
    } <= supported
    assert cad.tools == ("Autodesk AutoCAD", "Autodesk Revit")
    # the missing essential skill that matters most comes first, and nothing held well is a gap
    assert cad.gaps[0].essential
    assert "use CAD software" not in {g.skill.label for g in cad.gaps}
    assert cad.gaps[0].skill.label in {
        "building information modelling",
        "interpret 3D plans",
        "construction methods",
    }


def test_gaps_are_ranked_by_what_they_add_and_essential_outweighs_optional():
    cad = next(
        s
        for s in Scorer(pathways()).score(civil_cad_engineer())
        if s.slug == "cad-drafting-3d-modelling"
    )
    priorities = [g.priority for g in cad.gaps]
    assert priorities == sorted(priorities, reverse=True)
    best_essential = max(g.gain for g in cad.gaps if g.essential)
    best_optional = max(g.gain for g in cad.gaps if not g.essential)
    assert best_essential > best_optional


def test_a_higher_level_raises_the_fit_and_an_unrelated_skill_does_not():
    base = civil_cad_engineer()
    scorer = Scorer(pathways())
    cad = pathway("cad-drafting-3d-modelling")
    before = scorer.score_one(base, cad, 0.5).fit
    stronger = Person(
        {**base.skills, skill_id("interpret 2D plans"): 4},
        base.tools,
        base.interests,
        base.readiness,
        base.discipline,
    )
    unrelated = Person(
        {**base.skills, skill_id("printed circuit boards"): 4},
        base.tools,
        base.interests,
        base.readiness,
        base.discipline,
    )
    assert scorer.score_one(stronger, cad, 0.5).fit > before
    assert scorer.score_one(unrelated, cad, 0.5).fit == before


def test_related_skills_earn_partial_credit_through_the_similarity():
    cad = pathway("cad-drafting-3d-modelling")
    target = skill_id("3D modelling")
    near = skill_id("create AutoCAD drawings")  # not an essential skill of the CAD pathway

    def similarity(left, right):
        return [[0.8 if (a, b) == (near, target) else float(a == b) for b in right] for a in left]

    person = Person({near: 4})
    plain = Scorer([cad]).score_one(person, cad, 0.5)
    related = Scorer([cad], similarity=similarity).score_one(person, cad, 0.5)
    assert related.fit > plain.fit
    credit = next(s for s in related.support if s.skill.id == target)
    assert credit.via == near
    assert credit.credit == round(LEVEL_CREDIT[4] * 0.8, 4)


def test_scoring_is_deterministic_and_confidence_grows_with_evidence():
    scorer = Scorer(pathways())
    assert scorer.score(civil_cad_engineer()) == scorer.score(civil_cad_engineer())
    thin = scorer.score(Person({skill_id("use CAD software"): 3}))
    assert scorer.score(civil_cad_engineer())[0].confidence > thin[0].confidence
    assert thin[0].confidence_level in {"low", "medium"}


def test_an_empty_person_gets_every_pathway_ranked_by_demand_with_low_confidence():
    ranked = Scorer(pathways()).score(Person({}))
    assert len(ranked) == len(pathways())
    assert ranked[0].slug == "web-development"  # the largest market, nothing else to go on
    assert all(s.confidence_level == "low" and not s.support for s in ranked)


def test_readiness_names_what_holds_a_person_back():
    score, gaps = readiness_score(
        Readiness(
            english_written=3,
            english_spoken=3,
            payment="none",
            internet="reliable",
            power_backup=True,
            hours_per_week=20,
            collaboration_tools=3,
            freelance_profiles=1,
        )
    )
    assert gaps == ["payment"]
    assert 0.7 < score < 0.85
    full, none = readiness_score(Readiness(3, 3, 3, "ready", 2, 2, "reliable", True, 40))
    assert full == 1.0
    assert none == []


def test_interest_scores_scale_likert_answers():
    assert interest_scores({"draw": [5, 5, 4], "code": [1, 1, 1], "nonsense": [5]}) == {
        "draw": round((14 / 3 - 1) / 4, 4),
        "code": 0.0,
    }


def test_a_recorded_outcome_moves_a_prior():
    priors = {"mep-design": 0.12, "web-development": 1.0, "gis-remote-sensing": 0.33}
    assert calibrate(priors, {}, {}) == priors
    chosen = {"mep-design": 40, "web-development": 200, "gis-remote-sensing": 60}
    won = {"mep-design": 9, "web-development": 30, "gis-remote-sensing": 9}
    after = calibrate(priors, chosen, won)
    assert after["mep-design"] > priors["mep-design"]  # wins well above the overall rate
    assert after["web-development"] < priors["web-development"]
    # one more win in a pathway raises its prior further, and bounds keep it within 1.5x
    more = calibrate(priors, chosen, {**won, "mep-design": 10})
    assert more["mep-design"] > after["mep-design"]
    assert more["mep-design"] <= round(priors["mep-design"] * 1.5, 4)


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["mep-design", "pcb-design", "cybersecurity"]), st.integers(0, 500)
    ),
    st.dictionaries(
        st.sampled_from(["mep-design", "pcb-design", "cybersecurity"]), st.integers(0, 500)
    ),
)
def test_calibrated_priors_stay_within_bounds(chosen, won):
    priors = {"mep-design": 0.1, "pcb-design": 0.6, "cybersecurity": 0.9}
    for slug, value in calibrate(priors, chosen, won).items():
        assert 0 <= value <= 1
        assert priors[slug] * 0.5 - 1e-4 <= value <= priors[slug] * 1.5 + 1e-4


def test_postings_blend_into_demand_only_when_there_are_enough():
    priors = {"mep-design": 0.1, "pcb-design": 0.6}
    assert blend_demand(priors, {"mep-design": 5}) == priors
    blended = blend_demand(priors, {"mep-design": 90, "pcb-design": 10})
    assert blended["mep-design"] == round(0.05 + 0.5, 4)
    # postings lift a pathway the prior undervalued, and the blend never leaves 0..1
    assert blended["mep-design"] > 5 * priors["mep-design"]
    assert blended["pcb-design"] < priors["pcb-design"]


def test_demand_changes_the_order_when_skills_are_equal():
    person = Person({})
    demand = {p.slug: 0.0 for p in pathways()} | {"mep-design": 1.0}
    assert Scorer(pathways(), demand=demand).score(person)[0].slug == "mep-design"


def test_the_plan_covers_gaps_readiness_portfolio_and_where_to_list():
    cad = pathway("structural-analysis-design-support")
    score = Scorer([cad]).score_one(civil_cad_engineer(), cad, 0.5)
    gaps = [(g.skill.label, g.essential) for g in score.gaps]
    first, second, third = learning_plan(cad, gaps, ["payment", "internet"])
    assert (first.days, second.days, third.days) == (30, 60, 90)
    assert [s.kind for s in first.steps] == ["learn", "learn", "readiness", "readiness"]
    assert first.steps[0].subject == score.gaps[0].skill.label
    assert [s.subject for s in second.steps if s.kind == "portfolio"] == list(cad.deliverables[:2])
    assert [s.subject for s in third.steps if s.kind == "list"] == [
        m.platform for m in cad.where_it_sells[:2]
    ]
    assert any(s.kind == "stamp" for s in third.steps) == cad.needs_local_stamp
