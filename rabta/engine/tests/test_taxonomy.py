import hashlib
from pathlib import Path

import pytest

from rabta.engine.taxonomy import DATA, taxonomy

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"


def test_the_whole_esco_pillar_and_every_occupation_are_shipped():
    t = taxonomy()
    assert len(t.skills) == 13_896
    assert len(t.occupations) == 3_007
    relations = sum(len(v) for v in t.essential.values()) + sum(len(v) for v in t.optional.values())
    assert relations == 123_855 - 67  # relations to unpublished occupations are left out
    assert {s.type for s in t.skills} == {"S", "K"}


def test_labels_synonyms_and_codes_survive():
    t = taxonomy()
    civil = next(o for o in t.occupations if o.label == "civil engineer")
    assert civil.isco == "2142"
    assert civil.code.startswith("2142.")
    essential = {t.skill(i).label for i in t.essential[civil.id]}
    assert "civil engineering" in essential
    assert all(
        t.skill(i).uri.startswith("http://data.europa.eu/esco/skill/")
        for i in t.essential[civil.id]
    )


@pytest.mark.parametrize(
    "name",
    ["AutoCAD", "Revit", "SolidWorks", "ANSYS", "MATLAB", "QGIS", "Primavera", "Altium", "PVsyst"],
)
def test_onet_technology_names_engineers_use_are_present(name):
    # (ETABS is not in this O*NET release; the pathway catalogue will name it itself.)
    names = [tech.name for tech in taxonomy().technology]
    assert any(name.lower() in n.lower() for n in names), name


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("python", "Python (computer programming)"), ("structural anal", None), ("BIM", None)],
)
def test_search_as_you_type(typed, expected):
    found = taxonomy().search(typed)
    assert found
    if expected:
        assert expected in [s.label for s in found]
    assert len(found) <= 10


@pytest.mark.parametrize("typed", ["", "   ", "<script>", "zzzzqqqq", "a" * 500])
def test_search_with_nothing_useful_finds_nothing_or_little(typed):
    assert len(taxonomy().search(typed)) <= 10


@pytest.mark.skipif(not SHARED.exists(), reason="the source downloads are not beside the checkout")
def test_the_shipped_files_are_exactly_what_the_script_derives(tmp_path):
    from scripts.derive_taxonomy import derive

    derive(SHARED, tmp_path)
    for path in sorted(DATA.glob("*.tsv.gz")):
        assert (
            hashlib.sha256(path.read_bytes()).hexdigest()
            == hashlib.sha256((tmp_path / path.name).read_bytes()).hexdigest()
        ), path.name
