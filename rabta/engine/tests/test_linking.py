from rabta.engine.evaluation import score
from rabta.engine.linking import BM25Linker, ExactLinker, HybridLinker, tokens
from rabta.engine.taxonomy import Skill, Taxonomy


def tiny() -> Taxonomy:
    def skill(i, label, alts=(), description=""):
        return Skill(f"id-{i}", "S", "cross-sector", label, tuple(alts), description)

    return Taxonomy(
        skills=[
            skill(1, "Python (computer programming)", ["python"], "Programming in Python."),
            skill(2, "JavaScript", ["js"], "Programming for the web."),
            skill(
                3,
                "use CAD software",
                ["computer-aided design", "AutoCAD"],
                "Draw technical plans with CAD.",
            ),
            skill(4, "structural analysis", [], "Analyse loads on building structures."),
        ],
        occupations=[],
        technology=[],
    )


def test_exact_matching_finds_whole_labels_and_synonyms_only():
    linker = ExactLinker(tiny())
    assert [i for i, _ in linker.link("Senior Python and JS developer")] == ["id-1", "id-2"]
    assert linker.link("pythonic") == []


def test_bm25_ranks_the_best_matching_skill_first_and_is_deterministic():
    linker = BM25Linker(tiny(), with_descriptions=True)
    ranked = linker.link("analysis of loads on structures")
    assert ranked[0][0] == "id-4"
    assert ranked == linker.link("analysis of loads on structures")


def test_hybrid_prefers_whole_label_matches():
    linker = HybridLinker(tiny())
    assert linker.link("experienced in AutoCAD drafting")[0][0] == "id-3"
    assert linker.link("") == []
    assert linker.link("<script>alert(1)</script>" * 100) == []


def test_stopwords_and_case_are_ignored():
    assert tokens("The PYTHON of our Team") == ["python", "team"]


def test_metrics_match_a_hand_computed_example():
    gold = {"s1": {"a", "b"}, "s2": {"c"}}
    ranked = {"s1": ["x", "a", "y", "z", "w", "b"], "s2": ["c"]}
    result = score(lambda s: ranked[s], gold)
    assert result.rp5 == (0.5 + 1.0) / 2  # s1: 1 of 2 in the top 5; s2: 1 of 1
    assert result.rp10 == (1.0 + 1.0) / 2
    assert result.mrr == (1 / 2 + 1) / 2
