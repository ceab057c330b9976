"""The hybrid linker with the hashing stand-in encoder: fusion, batching and tie order."""

import numpy as np
import pytest

from rabta.engine.embedding import HashingEncoder, VectorIndex, build_index
from rabta.engine.linking import HybridLinker, skill_texts, top_ranked
from rabta.engine.taxonomy import Skill, Taxonomy


def skill(key, label, alts=(), description=""):
    return Skill(f"id-{key}", "S", "cross-sector", label, tuple(alts), description)


def tiny() -> Taxonomy:
    return Taxonomy(
        skills=[
            skill(1, "Python (computer programming)", ["python"], "Programming in Python."),
            skill(2, "JavaScript", ["js"], "Programming for the web."),
            skill(3, "use CAD software", ["AutoCAD"], "Draw technical plans with CAD."),
            skill(4, "structural analysis", [], "Analyse loads on building structures."),
            skill("b", "welding", [], "Join metal parts."),
            skill("a", "welding", [], "Join metal parts."),
        ],
        occupations=[],
        technology=[],
    )


def hybrid(taxonomy: Taxonomy) -> HybridLinker:
    encoder = HashingEncoder()
    vectors = build_index(
        encoder, [s.id for s in taxonomy.skills], [skill_texts(s) for s in taxonomy.skills]
    )
    return HybridLinker(taxonomy, encoder=encoder, vectors=vectors)


def test_hybrid_ranks_the_skill_matching_in_words_and_meaning_first():
    linker = hybrid(tiny())

    assert linker.link("experienced in AutoCAD drafting", top=3)[0][0] == "id-3"
    assert linker.link("analysis of loads on building structures", top=3)[0][0] == "id-4"


def test_equal_scores_are_ordered_by_skill_id():
    ranked = hybrid(tiny()).link("welding", top=2)

    assert [skill_id for skill_id, _ in ranked] == ["id-a", "id-b"]
    assert ranked[0][1] == ranked[1][1]


def test_link_many_gives_what_link_gives_one_by_one():
    linker = hybrid(tiny())
    texts = ["Python and JS developer", "", "welding of steel frames", "AutoCAD"]

    assert linker.link_many(texts, top=4) == [linker.link(text, top=4) for text in texts]


def test_blank_text_links_to_nothing_and_scores_are_best_first():
    linker = hybrid(tiny())

    assert linker.link("   ") == []
    scores = [score for _, score in linker.link("structural steel welding", top=6)]
    assert len(scores) == 6
    assert scores == sorted(scores, reverse=True)


def test_a_weak_lexical_match_does_not_count_as_full_lexical_evidence():
    linker = hybrid(tiny())

    lexical = linker.lexical_scores("python")

    assert 0 < lexical.max() < 1  # one word's BM25 plus a one-word label is under the floor


def test_vectors_must_follow_the_taxonomy_order():
    taxonomy = tiny()
    shuffled = VectorIndex(
        tuple(reversed([s.id for s in taxonomy.skills])), np.zeros((6, 384), np.float32)
    )

    with pytest.raises(ValueError, match="order"):
        HybridLinker(taxonomy, encoder=HashingEncoder(), vectors=shuffled)
    with pytest.raises(ValueError, match="together"):
        HybridLinker(taxonomy, encoder=HashingEncoder())


def test_lexical_only_hybrid_is_unchanged_by_link_many():
    linker = HybridLinker(tiny())

    assert linker.link_many(["AutoCAD drafting", ""]) == [linker.link("AutoCAD drafting"), []]
    assert linker.link("AutoCAD drafting")[0][0] == "id-3"


def test_top_ranked_breaks_rounded_ties_by_id_and_respects_top():
    scores = np.array([0.5, 0.70001, 0.7, 0.1])

    assert top_ranked(["d", "c", "b", "a"], scores, 2) == [("b", 0.7), ("c", 0.7)]
    assert top_ranked(["d", "c", "b", "a"], scores, 0) == []
