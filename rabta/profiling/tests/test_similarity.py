from rabta.engine.scoring import RELATED_THRESHOLD
from rabta.engine.taxonomy import taxonomy
from rabta.profiling.similarity import skill_similarity


def skill_id(label: str) -> str:
    return next(s.id for s in taxonomy().skills if s.label == label)


def test_the_shipped_vectors_relate_near_skills_and_not_distant_ones():
    similarity = skill_similarity()
    near = similarity([skill_id("printed circuit boards")], [skill_id("design circuit boards")])
    far = similarity([skill_id("building codes")], [skill_id("printed circuit boards")])
    same = similarity([skill_id("building codes")], [skill_id("building codes")])
    assert near[0][0] >= RELATED_THRESHOLD
    assert far[0][0] < RELATED_THRESHOLD
    assert same[0][0] > 0.99


def test_unknown_ids_are_related_to_nothing():
    similarity = skill_similarity()
    assert similarity(["not-a-skill"], [skill_id("building codes")]) == [[0.0]]
    assert similarity([], [skill_id("building codes")]) == []
