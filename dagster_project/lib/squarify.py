"""Squarified treemap layout (Bruls, Huizing and van Wijk 2000), for the reports' 板块-省-市 treemaps.

A few lines instead of a package: rows of rectangles laid along the shorter side of what is left, a row
growing while that makes its worst aspect ratio no worse.
"""

from __future__ import annotations

Rectangle = tuple[float, float, float, float]  # x, y, width, height


def worst_ratio(row: list[float], side: float) -> float:
    """The largest aspect ratio of a row of areas laid along a side of this length."""
    total = sum(row)
    return max(max(side * side * a / (total * total), total * total / (side * side * a)) for a in row)


def squarify(sizes: list[float], x: float, y: float, width: float, height: float) -> list[Rectangle]:
    """Rectangles with areas proportional to sizes (positive, largest first), tiling the given one; in the
    order of sizes."""
    if any(size <= 0 for size in sizes):
        raise ValueError(f"sizes must be positive: {sizes}")
    total = sum(sizes)
    areas = [size * width * height / total for size in sizes]
    rectangles: list[Rectangle] = []
    while areas:
        side = min(width, height)
        row = [areas[0]]
        while len(row) < len(areas) and worst_ratio([*row, areas[len(row)]], side) <= worst_ratio(row, side):
            row.append(areas[len(row)])
        thickness = sum(row) / side
        offset = 0.0
        for area in row:
            length = area / thickness
            if width >= height:  # a column along the left edge
                rectangles.append((x, y + offset, thickness, length))
            else:  # a row along the bottom edge
                rectangles.append((x + offset, y, length, thickness))
            offset += length
        if width >= height:
            x, width = x + thickness, width - thickness
        else:
            y, height = y + thickness, height - thickness
        areas = areas[len(row) :]
    return rectangles
