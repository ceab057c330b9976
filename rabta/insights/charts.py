"""Charts drawn on the server: a chart is a list of shapes, written out as inline SVG for the
page (no chart library to download, readable on a phone, printable) and as PNG for export
(Pillow).  A hidden cell is drawn as a hatched stub labelled "<10", never as a bar."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont

WIDTH = 640
INK, MUTED, BAR, ALT, TARGET, GRID = (
    "#1f2933",
    "#616e7c",
    "#0b6e4f",
    "#c2410c",
    "#b91c1c",
    "#d9e2ec",
)
HIDDEN_FILL = "#cbd2d9"
PALETTE = ("#f0f4f8", "#c6e6d8", "#8fcdb3", "#57b38c", "#2b8f67", "#0b6e4f")


@dataclass
class Shape:
    kind: str  # rect | text | line | poly | circle
    points: tuple[float, ...]
    fill: str = ""
    text: str = ""
    size: int = 12
    anchor: str = "start"  # start | end | middle
    title: str = ""


@dataclass
class Chart:
    title: str
    height: float
    shapes: list[Shape] = field(default_factory=list)
    background: str = ""  # a static image drawn first (the world map)

    def add(self, kind: str, *points: float, **options: object) -> None:
        self.shapes.append(Shape(kind, tuple(points), **options))  # type: ignore[arg-type]

    # --- SVG ---------------------------------------------------------------------------------

    def svg(self) -> str:
        out = [
            f'<svg viewBox="0 0 {WIDTH} {self.height:.0f}" role="img" class="chart" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{escape(self.title)}</title>'
        ]
        if self.background:
            out.append(self.background)
        out += [_svg_shape(s) for s in self.shapes]
        out.append("</svg>")
        return "".join(out)

    # --- PNG ---------------------------------------------------------------------------------

    def png(self, scale: float = 2.0) -> bytes:
        image = Image.new("RGB", (int(WIDTH * scale), int(self.height * scale)), "white")
        draw = ImageDraw.Draw(image)
        if self.background:
            for ring in _world_rings():
                draw.polygon(
                    [(x * scale * MAP_SCALE, y * scale * MAP_SCALE) for x, y in ring], fill=GRID
                )
        for s in self.shapes:
            _PNG_SHAPES.get(s.kind, _png_none)(draw, s, [v * scale for v in s.points], scale)
        buffer = io.BytesIO()
        image.save(buffer, "PNG", optimize=True)
        return buffer.getvalue()


# --- each kind of shape, drawn as SVG and as PNG -------------------------------------------------


def _tip(s: Shape) -> str:
    return f"<title>{escape(s.title)}</title>" if s.title else ""


def _svg_rect(s: Shape, p: tuple[float, ...]) -> str:
    return (
        f'<rect x="{p[0]:.1f}" y="{p[1]:.1f}" width="{p[2]:.1f}" '
        f'height="{p[3]:.1f}" fill="{s.fill}">{_tip(s)}</rect>'
    )


def _svg_text(s: Shape, p: tuple[float, ...]) -> str:
    return (
        f'<text x="{p[0]:.1f}" y="{p[1]:.1f}" font-size="{s.size}" '
        f'text-anchor="{s.anchor}" fill="{s.fill or INK}">{escape(s.text)}</text>'
    )


def _svg_line(s: Shape, p: tuple[float, ...]) -> str:
    return (
        f'<line x1="{p[0]:.1f}" y1="{p[1]:.1f}" x2="{p[2]:.1f}" y2="{p[3]:.1f}" '
        f'stroke="{s.fill}" stroke-width="2"/>'
    )


def _svg_circle(s: Shape, p: tuple[float, ...]) -> str:
    return (
        f'<circle cx="{p[0]:.1f}" cy="{p[1]:.1f}" r="{p[2]:.1f}" fill="{s.fill}" '
        f'fill-opacity="0.75">{_tip(s)}</circle>'
    )


def _svg_poly(s: Shape, p: tuple[float, ...]) -> str:
    pairs = " ".join(f"{p[i]:.1f},{p[i + 1]:.1f}" for i in range(0, len(p), 2))
    return f'<polygon points="{pairs}" fill="{s.fill}">{_tip(s)}</polygon>'


_SVG_SHAPES: dict[str, Callable[[Shape, tuple[float, ...]], str]] = {
    "rect": _svg_rect,
    "text": _svg_text,
    "line": _svg_line,
    "circle": _svg_circle,
    "poly": _svg_poly,
}


def _svg_shape(s: Shape) -> str:
    draw = _SVG_SHAPES.get(s.kind)
    return draw(s, s.points) if draw else ""


Draw = ImageDraw.ImageDraw


def _png_rect(draw: Draw, s: Shape, p: list[float], scale: float) -> None:
    draw.rectangle((p[0], p[1], p[0] + max(p[2], 1), p[1] + max(p[3], 1)), fill=s.fill)


def _png_text(draw: Draw, s: Shape, p: list[float], scale: float) -> None:
    font = _font(int(s.size * scale))
    anchor = {"start": "ls", "end": "rs", "middle": "ms"}[s.anchor]
    draw.text((p[0], p[1]), s.text, fill=s.fill or INK, font=font, anchor=anchor)


def _png_line(draw: Draw, s: Shape, p: list[float], scale: float) -> None:
    draw.line(p, fill=s.fill, width=int(2 * scale))


def _png_circle(draw: Draw, s: Shape, p: list[float], scale: float) -> None:
    draw.ellipse((p[0] - p[2], p[1] - p[2], p[0] + p[2], p[1] + p[2]), fill=s.fill)


def _png_poly(draw: Draw, s: Shape, p: list[float], scale: float) -> None:
    draw.polygon(list(zip(p[::2], p[1::2], strict=True)), fill=s.fill)


def _png_none(draw: Draw, s: Shape, p: list[float], scale: float) -> None:
    return None


_PNG_SHAPES: dict[str, Callable[[Draw, Shape, list[float], float], None]] = {
    "rect": _png_rect,
    "text": _png_text,
    "line": _png_line,
    "circle": _png_circle,
    "poly": _png_poly,
}


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "<10"
    text = f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.1f}"
    return f"${text}" if unit == "usd" else text


def _bar(
    chart: Chart,
    y: float,
    label: str,
    value: float | None,
    *,
    unit: str,
    share_of: float | None,
    top: float,
) -> None:
    """One row of a bar chart: its label, its bar (a grey stub when hidden) and its figure."""
    chart.add("text", 0, y, text=label, size=12)
    shown = value if value is None or not share_of else 100 * value / share_of
    if shown is None:
        chart.add("rect", 0, y + 4, 24, 14, fill=HIDDEN_FILL, title=f"{label}: <10")
    else:
        width = max(1.0, (WIDTH - 90) * shown / top)
        chart.add("rect", 0, y + 4, width, 14, fill=BAR, title=f"{label}: {_number(value, unit)}")
    text = _number(value, unit) + (f" ({shown:.0f}%)" if share_of and shown is not None else "")
    chart.add("text", WIDTH, y + 16, text=text, size=12, anchor="end", fill=MUTED)


def bars(
    title: str,
    rows: Sequence[tuple[str, float | None]],
    *,
    unit: str = "",
    targets: dict[str, float] | None = None,
    share_of: float | None = None,
) -> Chart:
    """Horizontal bars, one per row, the label above the bar so long names fit on a phone.
    With ``share_of`` the bars are shares of that total (in %), and ``targets`` draws each
    row's target share as a red mark."""
    values = [v for _l, v in rows if v is not None]
    if share_of:
        values = [100 * v / share_of for v in values]
    top = max([*values, *(100 * t for t in (targets or {}).values()), 1])
    chart = Chart(title, 18 + 34 * max(len(rows), 1))
    y = 14.0
    for label, value in rows:
        _bar(chart, y, label, value, unit=unit, share_of=share_of, top=top)
        if targets and label in targets:
            x = (WIDTH - 90) * 100 * targets[label] / top
            chart.add("line", x, y + 1, x, y + 21, fill=TARGET)
        y += 34
    return chart


def columns(title: str, points: Sequence[tuple[str, float | None]]) -> Chart:
    """A column per period (a day), hidden ones as grey stubs; first and last labelled."""
    chart = Chart(title, 150)
    top = max([v for _l, v in points if v is not None] + [1])
    step = (WIDTH - 20) / max(len(points), 1)
    for i, (label, value) in enumerate(points):
        x = 10 + i * step
        if value is None:
            chart.add("rect", x, 110, max(step - 1, 1), 10, fill=HIDDEN_FILL, title=f"{label}: <10")
        else:
            h = 100 * value / top
            chart.add("rect", x, 120 - h, max(step - 1, 1), h, fill=BAR, title=f"{label}: {value}")
    if points:
        chart.add("text", 10, 140, text=points[0][0], size=11, fill=MUTED)
        chart.add("text", WIDTH - 10, 140, text=points[-1][0], size=11, anchor="end", fill=MUTED)
    chart.add("text", 10, 12, text=f"max {top:,.0f}", size=11, fill=MUTED)
    return chart


def heatmap(
    title: str, rows: list[str], cols: list[str], cells: dict[tuple[str, str], int | None]
) -> Chart:
    """Rows (skills) × columns (pathways), darker where more people miss the skill."""
    label_w, cell_w, cell_h = 220.0, (WIDTH - 220.0) / max(len(cols), 1), 22.0
    chart = Chart(title, 30 + cell_h * len(rows) + 110)
    top = max([v for v in cells.values() if v] + [1])
    for j in range(len(cols)):
        chart.add(
            "text", label_w + j * cell_w + cell_w / 2, 14, text=str(j + 1), size=11, anchor="middle"
        )
    for i, row in enumerate(rows):
        y = 22 + i * cell_h
        chart.add("text", 0, y + 15, text=row[:34], size=11)
        for j, col in enumerate(cols):
            value = cells.get((row, col), 0)
            if value is None:
                fill = HIDDEN_FILL
            else:
                fill = PALETTE[min(len(PALETTE) - 1, round((len(PALETTE) - 1) * value / top))]
            chart.add(
                "rect",
                label_w + j * cell_w + 1,
                y + 1,
                cell_w - 2,
                cell_h - 2,
                fill=fill,
                title=f"{row} × {col}: {_number(value)}",
            )
    y = 30 + cell_h * len(rows)
    for j, col in enumerate(cols[:8]):
        chart.add("text", 0, y + 12 * j, text=f"{j + 1}. {col}", size=10, fill=MUTED)
    return chart


MAP_SCALE = WIDTH / 360  # world.json is 360 × 150 (degrees)


@cache
def _world() -> dict[str, list[list[list[float]]]]:
    path = Path(__file__).resolve().parent / "data" / "world.json"
    return json.loads(path.read_text())  # type: ignore[no-any-return]


def _world_rings() -> list[list[list[float]]]:
    return [ring for rings in _world().values() for ring in rings]


@cache
def world_svg() -> str:
    """The land as one SVG path, served once and cached by the browser."""
    parts = []
    for ring in _world_rings():
        parts.append(
            "M" + "L".join(f"{x * MAP_SCALE:.1f} {y * MAP_SCALE:.1f}" for x, y in ring) + "Z"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {150 * MAP_SCALE:.0f}">'
        f'<path fill="{GRID}" d="{"".join(parts)}"/></svg>'
    )


def centre(code: str) -> tuple[float, float] | None:
    """The middle of a country's largest outline, in chart coordinates."""
    rings = _world().get(code)
    if not rings:
        return None
    ring = max(rings, key=len)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return (min(xs) + max(xs)) / 2 * MAP_SCALE, (min(ys) + max(ys)) / 2 * MAP_SCALE


def world(title: str, counts: dict[str, int | None], map_url: str) -> Chart:
    """Contributors per country as circles (area ∝ count) over the land."""
    height = 150 * MAP_SCALE
    chart = Chart(title, height)
    chart.background = (
        f'<image href="{escape(map_url)}" x="0" y="0" width="{WIDTH}" height="{height:.0f}"/>'
    )
    top = max([v for v in counts.values() if v] + [1])
    for code, value in sorted(counts.items(), key=lambda kv: -(kv[1] or 0)):
        point = centre(code)
        if point is None:
            continue
        radius = 3.0 if value is None else 3 + 14 * (value / top) ** 0.5
        fill = HIDDEN_FILL if value is None else ALT
        chart.add(
            "circle", point[0], point[1], radius, fill=fill, title=f"{code}: {_number(value)}"
        )
    return chart
