"""Derive Rabta's compact taxonomy files from the official ESCO v1.1.1 and O*NET downloads.

    python scripts/derive_taxonomy.py ../shared/data rabta/engine/data

Writes, deterministically (the same inputs give byte-identical outputs):

* ``esco_skills.tsv.gz`` — every skill of the ESCO skills pillar: id (the concept URI's UUID),
  skill type (S skill/competence, K knowledge), reuse level, preferred label, alternative labels
  joined by ``|``, and the description cut to 300 characters;
* ``esco_occupations.tsv.gz`` — every occupation: id, ISCO group, ESCO code, preferred label,
  alternative labels;
* ``esco_occupation_skills.tsv.gz`` — the occupation–skill relations as row numbers into the
  two files above, with E (essential) or O (optional).  The 67 relations of v1.1.1 whose
  occupation is not in the published occupations file are left out;
* ``onet_technology.tsv.gz`` — the O*NET technology examples (software names such as AutoCAD,
  Revit, ETABS): example, commodity title, Hot Technology and In Demand flags, and how many
  O*NET occupations list it.

This service uses the ESCO classification of the European Commission (modified: labels and
relations only, descriptions shortened).  This site incorporates information from the O*NET
Database by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA),
used under the CC BY 4.0 licence.  O*NET is a trademark of USDOL/ETA.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
import zipfile
from collections import Counter
from pathlib import Path

DESCRIPTION_LIMIT = 300


def _clean(text: str) -> str:
    return " ".join((text or "").replace("\t", " ").split())


def _labels(raw: str) -> str:
    seen: list[str] = []
    for label in (raw or "").split("\n"):
        label = _clean(label).replace("|", "/")
        if label and label not in seen:
            seen.append(label)
    return "|".join(seen)


def _uuid(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    buffer.write("\t".join(header) + "\n")
    for row in rows:
        buffer.write("\t".join(row) + "\n")
    # mtime=0 and no file name keep the archive byte-identical from run to run.
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out,
    ):
        out.write(buffer.getvalue().encode("utf-8"))


def _read_zip_csv(archive: Path, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(archive) as bundle, bundle.open(name) as handle:
        return list(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8", newline="")))


def derive(source: Path, target: Path) -> dict[str, int]:
    esco = source / "esco-1.1.1"
    target.mkdir(parents=True, exist_ok=True)

    skills = sorted(
        _read_zip_csv(esco / "esco_v1.1.1_en_csv.zip", "skills_en.csv"),
        key=lambda r: _uuid(r["conceptUri"]),
    )
    skill_rows = [
        [
            _uuid(r["conceptUri"]),
            "K" if r["skillType"] == "knowledge" else "S",
            _clean(r["reuseLevel"]),
            _clean(r["preferredLabel"]),
            _labels(r["altLabels"]),
            _clean(r["description"])[:DESCRIPTION_LIMIT],
        ]
        for r in skills
    ]
    _write(
        target / "esco_skills.tsv.gz",
        ["id", "type", "reuse", "label", "alt_labels", "description"],
        skill_rows,
    )

    occupations = sorted(
        _read_zip_csv(esco / "esco_v1.1.1_en_csv.zip", "occupations_en.csv"),
        key=lambda r: _uuid(r["conceptUri"]),
    )
    occupation_rows = [
        [
            _uuid(r["conceptUri"]),
            _clean(r["iscoGroup"]),
            _clean(r["code"]),
            _clean(r["preferredLabel"]),
            _labels(r["altLabels"]),
        ]
        for r in occupations
    ]
    _write(
        target / "esco_occupations.tsv.gz",
        ["id", "isco", "code", "label", "alt_labels"],
        occupation_rows,
    )

    skill_index = {row[0]: n for n, row in enumerate(skill_rows)}
    occupation_index = {row[0]: n for n, row in enumerate(occupation_rows)}
    relations = sorted(
        (
            occupation_index[_uuid(r["occupationUri"])],
            skill_index[_uuid(r["skillUri"])],
            "E" if r["relationType"] == "essential" else "O",
        )
        for r in _read_zip_csv(
            esco / "esco_v1.1.1_relations_csv.zip", "occupationSkillRelations.csv"
        )
        if _uuid(r["occupationUri"]) in occupation_index and _uuid(r["skillUri"]) in skill_index
    )
    _write(
        target / "esco_occupation_skills.tsv.gz",
        ["occupation", "skill", "relation"],
        [[str(o), str(s), kind] for o, s, kind in relations],
    )

    with (source / "onet" / "Technology Skills.txt").open(encoding="utf-8") as handle:
        technology = list(csv.DictReader(handle, delimiter="\t"))
    occupations_per_example: Counter[str] = Counter()
    first: dict[str, dict[str, str]] = {}
    hot: Counter[str] = Counter()
    demand: Counter[str] = Counter()
    for row in technology:
        example = _clean(row["Example"])
        occupations_per_example[example] += 1
        first.setdefault(example, row)
        hot[example] += row["Hot Technology"].strip() == "Y"
        demand[example] += row["In Demand"].strip() == "Y"
    technology_rows = [
        [
            example,
            _clean(first[example]["Commodity Title"]),
            "Y" if hot[example] else "N",
            "Y" if demand[example] else "N",
            str(occupations_per_example[example]),
        ]
        for example in sorted(first)
    ]
    _write(
        target / "onet_technology.tsv.gz",
        ["example", "commodity", "hot", "in_demand", "occupations"],
        technology_rows,
    )
    return {
        "skills": len(skill_rows),
        "occupations": len(occupation_rows),
        "relations": len(relations),
        "technology": len(technology_rows),
    }


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        raise SystemExit(__doc__)
    counts = derive(Path(argv[1]), Path(argv[2]))
    print(", ".join(f"{value:,} {name}" for name, value in counts.items()))  # noqa: T201


if __name__ == "__main__":
    main(sys.argv)
