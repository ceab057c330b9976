import json

import pytest
from django.core.management import CommandError, call_command

from rabta.profiling.linker import clear_caches


@pytest.fixture
def hashing(settings):
    settings.RABTA_TEXT_ENCODER = "hashing"
    clear_caches()
    yield
    clear_caches()


CIVIL = {
    "id": 1,
    "title": "AutoCAD draftsman for a road project",
    "description": "Prepare AutoCAD drawings of road cross sections and plan and profile sheets.",
}
PCB = {
    "id": "p-2",
    "title": "PCB layout for an IoT sensor",
    "description": "Four-layer board in Altium Designer: schematic capture and Gerber files.",
}


def write_lines(path, lines):
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def classify(tmp_path, lines):
    source = write_lines(tmp_path / "in.jsonl", lines)
    target = tmp_path / "out.jsonl"
    call_command("classify_postings", "--input", str(source), "--output", str(target))
    return [json.loads(line) for line in target.read_text().splitlines()]


def test_malformed_lines_are_reported_by_number_and_the_rest_classified(tmp_path, capsys, hashing):
    rows = classify(
        tmp_path,
        [
            json.dumps(CIVIL),
            "{not json",
            json.dumps({"id": 3, "title": "No description"}),
            json.dumps({"id": 4, "title": 7, "description": "x"}),
            "",
            json.dumps({"id": 6, "title": " ", "description": ""}),
            json.dumps({"id": 7, "title": "Long", "description": "x" * 20_001}),
            json.dumps(["not", "an", "object"]),
            json.dumps({"title": "No id", "description": "x"}),
            json.dumps(PCB),
        ],
    )

    captured = capsys.readouterr()
    assert "2 classified, 7 rejected" in captured.out
    for number in (2, 3, 4, 6, 7, 8, 9):
        assert f"line {number}:" in captured.err
    assert "line 1:" not in captured.err
    assert "line 5:" not in captured.err
    assert "line 10:" not in captured.err
    assert [row["id"] for row in rows] == [1, "p-2"]


def test_output_lines_have_exactly_the_documented_shape(tmp_path, hashing):
    (row,) = classify(tmp_path, [json.dumps(CIVIL)])

    assert list(row) == ["id", "pathways", "occupations"]
    assert len(row["pathways"]) == 5
    assert len(row["occupations"]) == 5
    for pathway in row["pathways"]:
        assert list(pathway) == ["slug", "score"]
        assert 0.0 <= pathway["score"] <= 1.0
    for occupation in row["occupations"]:
        assert list(occupation) == ["uri", "label", "code", "isco_group", "score"]
        assert occupation["uri"].startswith("http://data.europa.eu/esco/occupation/")
        assert occupation["code"].startswith(occupation["isco_group"])
        assert len(occupation["isco_group"]) == 4
        assert 0.0 <= occupation["score"] <= 1.0
    scores = [pathway["score"] for pathway in row["pathways"]]
    assert scores == sorted(scores, reverse=True)


def test_the_shipped_model_puts_civil_drafting_in_cad_and_board_layout_in_pcb(tmp_path):
    clear_caches()
    civil, pcb = classify(tmp_path, [json.dumps(CIVIL), json.dumps(PCB)])

    assert civil["pathways"][0]["slug"] == "cad-drafting-3d-modelling"
    assert "pcb-design" not in [p["slug"] for p in civil["pathways"]]
    assert pcb["pathways"][0]["slug"] == "pcb-design"
    assert civil["occupations"][0]["isco_group"] == "3118"  # draughtspersons


def test_an_unreadable_input_fails_and_writes_nothing(tmp_path):
    target = tmp_path / "out.jsonl"

    with pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "classify_postings", "--input", str(tmp_path / "none.jsonl"), "--output", str(target)
        )

    assert not target.exists()
