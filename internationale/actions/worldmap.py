"""The world map of an aggregated report, drawn by the server as SVG: each country shaded by its
number of actions, with a title for each one that has actions (what a pointer shows) and no
script, tile server or third-party request. It is one image for assistive technology (labelled);
the page puts a data table beside it with the same numbers for screen readers.

The outlines are data/countries.tsv: one country a line, its ISO 3166 code, a tab, then its rings
separated by `;`, each a list of points `x y` separated by commas, the first absolute and the
others relative to the point before, in tenths of a unit of a 1000 × 561 plane (an equirectangular
world, the poles cut). They are simplified from the world map of pygal_maps_world 1.0.2 (GNU LGPL
v3 or later; README says so): curves reduced to their end points, then Douglas–Peucker at 0.6
units, islands smaller than 2 square units dropped unless a country has nothing else.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

OUTLINES = Path(__file__).resolve().parent / "data" / "countries.tsv"
WIDTH, HEIGHT = 10_000, 5_608
# The shades of a country with actions, lightest to darkest (colour-blind safe blues), and of one
# without.
SHADES = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
EMPTY = "#e5e5e5"


@cache
def outlines() -> dict[str, str]:
    """{ISO code: SVG path data} for every country drawn."""
    paths: dict[str, str] = {}
    for line in OUTLINES.read_text(encoding="ascii").splitlines():
        code, _tab, rings = line.partition("\t")
        parts = []
        for ring in rings.split(";"):
            first, *rest = ring.split(",")
            parts.append(f"M{first}l{' '.join(rest)}z" if rest else f"M{first}z")
        paths[code] = "".join(parts)
    return paths


def shade(count: int, most: int) -> str:
    if count <= 0 or most <= 0:
        return EMPTY
    step = min(len(SHADES) - 1, (count - 1) * len(SHADES) // most)
    return SHADES[step]


def world_map(counts: dict[str, tuple[str, int]], *, label: str) -> SafeString:
    """The SVG of the world with each country of `counts` ({code: (its name with its number of
    actions, the number)}) shaded by its number. `label` names the map for assistive technology."""
    most = max((n for _name, n in counts.values()), default=0)
    shapes = []
    for code, data in outlines().items():
        title, count = counts.get(code, ("", 0))
        if count:
            shapes.append(
                format_html(
                    '<path d="{}" fill="{}" data-country="{}"><title>{}</title></path>',
                    data,
                    shade(count, most),
                    code,
                    title,
                )
            )
        else:
            shapes.append(format_html('<path d="{}" fill="{}"/>', data, EMPTY))
    return mark_safe(  # noqa: S308 -- built of escaped parts
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" class="world-map" stroke="#ffffff" stroke-width="4">'
        + "".join(shapes)
        + "</svg>"
    )


def legend(most: int) -> list[tuple[str, str]]:
    """[(colour, the numbers of actions it stands for)] for the map's key."""
    if most <= 0:
        return []
    rows = []
    for step, colour in enumerate(SHADES):
        low = step * most // len(SHADES) + 1
        high = (step + 1) * most // len(SHADES)
        if high >= low:
            rows.append((colour, str(low) if low == high else f"{low}–{high}"))
    return rows
