"""Derive the compact world map the insights dashboards draw contributors on.

Source: world-atlas 2.0.2 (npm, ISC licence), ``countries-110m.json``: Natural Earth's 1:110m
country outlines (public domain) as TopoJSON.  Get it with ``npm pack world-atlas@2.0.2`` and
run::

    python scripts/derive_world_map.py package/countries-110m.json

The output, ``rabta/insights/data/world.json``, maps ISO 3166 alpha-2 codes to rings of points
in an equirectangular projection 360 wide and 150 high (latitude 84° N to 66° S, so Antarctica
is left out), rounded to half a degree and thinned.  Its size is what a phone should download once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TOP, BOTTOM = 84.0, -66.0
OUT = Path(__file__).resolve().parent.parent / "rabta" / "insights" / "data" / "world.json"


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def _project(points: list[tuple[float, float]]) -> list[list[float]]:
    """Projected, rounded to half a degree, and thinned: a point closer than a degree to the
    last kept one adds nothing at the size the map is drawn."""
    out: list[list[float]] = []
    for lon, lat in points:
        lat = max(BOTTOM, min(TOP, lat))
        point = [round((lon + 180) * 2) / 2, round((TOP - lat) * 2) / 2]
        if not out or abs(out[-1][0] - point[0]) + abs(out[-1][1] - point[1]) >= 1:
            out.append(point)
    return out


def _alpha2(numeric: str) -> str:
    from django_countries import countries

    return countries.alpha2(int(numeric)) if numeric.isdigit() else ""


def main(source: str) -> None:
    import django
    from django.conf import settings

    settings.configure()
    django.setup()
    topology = json.loads(Path(source).read_text())
    arcs = _decode_arcs(topology)
    world: dict[str, list[list[list[float]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = _alpha2(geometry.get("id", ""))
        if not code or code == "AQ":
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [_project(_ring(arcs, polygon[0])) for polygon in polygons]
        world.setdefault(code, []).extend(ring for ring in rings if len(ring) >= 3)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(world, separators=(",", ":"), sort_keys=True))
    print(f"{len(world)} countries, {OUT.stat().st_size:,} bytes → {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
