import json

from django.core.management import call_command


def test_link_skills_writes_ranked_esco_skills_and_skips_bad_lines(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(
            [
                json.dumps({"id": 1, "text": "Python developer with Django and SQL"}),
                "{not json",
                json.dumps({"id": 2}),
                json.dumps(["a", "list"]),
                json.dumps(
                    {"id": 3, "text": "Structural analysis of steel buildings with AutoCAD"}
                ),
            ]
        ),
        encoding="utf-8",
    )
    target = tmp_path / "out.jsonl"

    call_command("link_skills", "--input", str(source), "--output", str(target), "--top", "5")

    captured = capsys.readouterr()
    assert "2 linked, 3 rejected" in captured.out
    assert "line 2:" in captured.err
    assert "line 3:" in captured.err
    assert "line 4:" in captured.err
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [row["id"] for row in rows] == [1, 3]
    first = rows[0]["skills"]
    assert len(first) == 5
    assert first[0]["uri"].startswith("http://data.europa.eu/esco/skill/")
    assert "Python (computer programming)" in [s["label"] for s in first]
    assert [s["score"] for s in first] == sorted((s["score"] for s in first), reverse=True)
