import json

import pytest
from django.core.management import CommandError, call_command

from rabta.profiling.linker import clear_caches, skill_linker


@pytest.fixture
def hashing(settings):
    settings.RABTA_TEXT_ENCODER = "hashing"
    clear_caches()
    yield
    clear_caches()


def write_lines(path, lines):
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_link_skills_writes_ranked_esco_skills_and_skips_bad_lines(tmp_path, capsys):
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            json.dumps({"id": 1, "text": "Python developer with Django and SQL"}),
            "{not json",
            json.dumps({"id": 2}),
            json.dumps(["a", "list"]),
            json.dumps({"id": 3, "text": "Structural analysis of steel buildings with AutoCAD"}),
            json.dumps({"id": 4, "text": "   "}),
            json.dumps({"id": 5, "text": "x" * 20_001}),
            json.dumps({"id": None, "text": "welding"}),
        ],
    )
    target = tmp_path / "out.jsonl"

    call_command("link_skills", "--input", str(source), "--output", str(target), "--top", "5")

    captured = capsys.readouterr()
    assert "2 linked, 6 rejected" in captured.out
    for number in (2, 3, 4, 6, 7, 8):
        assert f"line {number}:" in captured.err
    assert "line 1:" not in captured.err
    assert "line 5:" not in captured.err
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [row["id"] for row in rows] == [1, 3]
    assert all(set(row) == {"id", "skills"} for row in rows)
    first = rows[0]["skills"]
    assert len(first) == 5
    assert all(set(skill) == {"uri", "label", "score"} for skill in first)
    assert first[0]["uri"].startswith("http://data.europa.eu/esco/skill/")
    assert "Python (computer programming)" in [s["label"] for s in first]
    assert [s["score"] for s in first] == sorted((s["score"] for s in first), reverse=True)


def test_hashing_mode_links_lexically(tmp_path, capsys, hashing):
    source = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": "AutoCAD"})])
    target = tmp_path / "out.jsonl"

    call_command("link_skills", "--input", str(source), "--output", str(target), "--top", "3")

    row = json.loads(target.read_text())
    assert row["id"] == "a"
    assert [skill["label"] for skill in row["skills"]] == ["create AutoCAD drawings"]
    assert not skill_linker().semantic
    assert "1 linked, 0 rejected" in capsys.readouterr().out


def test_an_unreadable_input_fails_and_writes_nothing(tmp_path):
    target = tmp_path / "out.jsonl"

    with pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "link_skills", "--input", str(tmp_path / "missing.jsonl"), "--output", str(target)
        )

    assert not target.exists()
