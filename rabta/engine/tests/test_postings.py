"""Posting classification with the hashing stand-in encoder on a small synthetic taxonomy."""

from dataclasses import replace

import pytest

from rabta.engine.embedding import HashingEncoder, build_index
from rabta.engine.linking import HybridLinker, skill_texts
from rabta.engine.pathways import Pathway, SkillRef
from rabta.engine.postings import PostingClassifier, occupation_texts, tool_aliases, tool_pattern
from rabta.engine.taxonomy import Occupation, Skill, Taxonomy


def skill(key, label, alts=(), description=""):
    return Skill(f"s-{key}", "S", "cross-sector", label, tuple(alts), description)


SKILLS = [
    skill("cad", "use CAD software", ["AutoCAD", "computer-aided drafting"], "Draw plans in CAD."),
    skill("plans", "create technical plans", ["drafting"], "Create technical drawings."),
    skill("pcb", "design printed circuit boards", ["PCB layout"], "Lay out circuit boards."),
    skill("circuits", "design electronic circuits", [], "Design schematics of circuits."),
    skill("roads", "design roads", [], "Design road alignments and cross sections."),
]
OCCUPATIONS = [
    Occupation("o-drafter", "3118", "3118.1", "civil drafter", ("CAD technician",)),
    Occupation("o-electronics", "2152", "2152.1", "electronics engineer", ()),
]


def taxonomy() -> Taxonomy:
    return Taxonomy(
        skills=SKILLS,
        occupations=OCCUPATIONS,
        technology=[],
        essential={"o-drafter": ["s-cad", "s-plans"], "o-electronics": ["s-pcb"]},
        optional={"o-drafter": ["s-roads"], "o-electronics": ["s-circuits"]},
    )


def pathway(slug, title, summary, skills, tools) -> Pathway:
    return Pathway(
        slug=slug,
        title=title,
        summary=summary,
        disciplines=(),
        essential_skills=tuple(SkillRef(f"s-{key}", key) for key in skills),
        optional_skills=(),
        tools=tuple(tools),
        tools_not_in_onet=(),
        deliverables=(),
        where_it_sells=(),
        needs_local_stamp=False,
        how_without_stamp="",
        demand_projects=1,
        demand_prior=1.0,
    )


CAD = pathway(
    "cad-drafting",
    "CAD drafting",
    "Clean 2D CAD drawing sets from sketches and markups.",
    ["cad", "plans"],
    ["Autodesk AutoCAD", "Bentley MicroStation"],
)
PCB = pathway(
    "pcb-design",
    "PCB design",
    "Schematics and printed circuit board layouts for electronics.",
    ["pcb", "circuits"],
    ["Altium Designer", "KiCad"],
)


def classifier(pathways=(CAD, PCB)) -> PostingClassifier:
    t = taxonomy()
    encoder = HashingEncoder()
    skills = build_index(encoder, [s.id for s in t.skills], [skill_texts(s) for s in t.skills])
    occupations = build_index(
        encoder, [o.id for o in t.occupations], [occupation_texts(o) for o in t.occupations]
    )
    linker = HybridLinker(t, encoder=encoder, vectors=skills)
    return PostingClassifier(t, pathways, linker, encoder, occupations)


CIVIL_POSTING = (
    "Civil draftsman for road project",
    "Prepare AutoCAD drawings of road cross sections and plans from site sketches.",
)


def test_a_civil_autocad_drafting_posting_is_cad_work_not_pcb_design():
    result = classifier().classify(*CIVIL_POSTING)

    assert [slug for slug, _ in result.pathways] == ["cad-drafting", "pcb-design"]
    assert result.pathways[0][1] > result.pathways[1][1]
    assert result.occupations[0][0].id == "o-drafter"


def test_an_altium_board_layout_posting_is_pcb_design():
    result = classifier().classify("PCB layout", "Four-layer board in Altium Designer.")

    assert result.pathways[0][0] == "pcb-design"
    assert result.occupations[0][0].id == "o-electronics"


def test_scores_are_between_zero_and_one_best_first_and_top_is_respected():
    result = classifier().classify(*CIVIL_POSTING, top=1)

    assert len(result.pathways) == 1
    assert len(result.occupations) == 1
    full = classifier().classify(*CIVIL_POSTING)
    for ranked in (full.pathways, [(o.id, s) for o, s in full.occupations]):
        scores = [score for _, score in ranked]
        assert all(0.0 <= score <= 1.0 for score in scores)
        assert scores == sorted(scores, reverse=True)


def test_classification_is_deterministic_and_batching_does_not_change_it():
    model = classifier()
    postings = [CIVIL_POSTING, ("PCB layout", "KiCad board"), ("", "AutoCAD drafting")]

    one_by_one = [model.classify(title, description) for title, description in postings]

    assert model.classify_many(postings) == one_by_one
    assert classifier().classify_many(postings) == one_by_one
    assert model.classify_many([]) == []


def test_equal_pathway_scores_are_ordered_by_slug():
    twin = replace(CAD, slug="a-cad-twin")

    result = classifier((CAD, twin, PCB)).classify(*CIVIL_POSTING)

    assert [slug for slug, _ in result.pathways[:2]] == ["a-cad-twin", "cad-drafting"]
    assert result.pathways[0][1] == result.pathways[1][1]


@pytest.mark.parametrize(
    ("tool", "aliases"),
    [
        ("Autodesk AutoCAD", ("Autodesk AutoCAD", "AutoCAD")),
        ("Dassault Systemes SolidWorks", ("Dassault Systemes SolidWorks", "SolidWorks")),
        ("ESRI ArcGIS software", ("ESRI ArcGIS software", "ArcGIS")),
        ("Microsoft Project", ("Microsoft Project",)),
        ("KiCad", ("KiCad",)),
    ],
)
def test_tool_aliases_drop_vendor_names_but_not_into_everyday_words(tool, aliases):
    assert tool_aliases(tool) == aliases


def test_tool_mentions_are_whole_words_case_insensitive():
    pattern = tool_pattern(["C", "Autodesk AutoCAD", "Node.js"])

    assert pattern is not None
    assert pattern.search("drafting in autocad.")
    assert pattern.search("firmware in C for STM32")
    assert not pattern.search("C++ and C# developer")
    assert not pattern.search("AutoCADD clones")
    assert tool_pattern([]) is None
