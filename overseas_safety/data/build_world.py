"""Build overseas_safety/data/world.json, the world map's geometry, from the npm package world-atlas.

Source: world-atlas 2.0.2 (https://www.npmjs.com/package/world-atlas), file countries-50m.json: Natural
Earth's Admin 0 country boundaries, 1:50m, version 4.1.0, as TopoJSON. Natural Earth is in the public
domain (https://www.naturalearthdata.com/about/terms-of-use/); world-atlas's packaging is under the ISC
licence, Copyright 2013-2019 Michael Bostock. The boundaries are Natural Earth's "de facto" ones.

Run once, by hand, when the geometry should change (the portal only reads the JSON it writes):

    curl -sSLO https://registry.npmjs.org/world-atlas/-/world-atlas-2.0.2.tgz
    # sha256 032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97
    tar xzf world-atlas-2.0.2.tgz
    DJANGO_SETTINGS_MODULE=foreign_affairs.settings DEBUG=true \
        .venv/bin/python overseas_safety/data/build_world.py package/countries-50m.json

It decodes the topology, cuts each ring at the meridian opposite CENTRAL_MERIDIAN (150°E, so the edges
fall in the Atlantic), projects longitude and latitude with the Natural Earth I projection (the one d3-geo
calls geoNaturalEarth1), simplifies each ring (Douglas-Peucker, tolerance TOLERANCE in map units), drops
specks smaller than MIN_AREA (a country keeps at least its largest piece), and writes SVG path data with
integer coordinates (the map is WIDTH units wide) keyed by ISO 3166-1 alpha-2 codes, with a point in each
country and the list of countries too small to tap (worldmap.py marks those with a dot). Antarctica is left
out; shapes without an ISO code (e.g. Kosovo, northern Cyprus) are drawn as
plain land without a link. Taiwan (158) is kept under its code TW so that worldmap.py can draw it with
China.
"""

import json
import math
import sys
from pathlib import Path

WIDTH = 2000  # the map's width in map units
TOLERANCE = 0.6  # Douglas-Peucker tolerance, in map units
MIN_AREA = 3  # in square map units; smaller islands are dropped unless they are a country's largest piece
SMALL_AREA = 150  # in square map units: a country whose largest piece is smaller gets a marker dot
# The map is centred on 150°E, as maps of the world printed in China are: China and the Pacific in the
# middle, the Americas on the right, the edges in the Atlantic.
CENTRAL_MERIDIAN = 150
LEFT_OUT = {"010"}  # Antarctica
OUT = Path(__file__).with_name("world.json")


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """The Natural Earth I projection (Šavrič, Patterson, Jenny 2011), as d3-geo's naturalEarth1Raw."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(points):
    """A ring in longitudes relative to CENTRAL_MERIDIAN, made continuous (no jump of more than 180°)."""
    out = []
    for lon, lat in points:
        lon = (lon - CENTRAL_MERIDIAN + 180) % 360 - 180
        if out:
            previous = out[-1][0]
            while lon - previous > 180:
                lon -= 360
            while previous - lon > 180:
                lon += 360
        out.append((lon, lat))
    return out


def clip(points, low: float, high: float):
    """Sutherland-Hodgman: the ring cut to low <= longitude <= high."""
    for inside, edge in ((lambda p: p[0] >= low, low), (lambda p: p[0] <= high, high)):
        if not points:
            return []
        out = []
        for index, current in enumerate(points):
            previous = points[index - 1]
            if inside(current) != inside(previous):
                t = (edge - previous[0]) / (current[0] - previous[0])
                out.append((edge, previous[1] + t * (current[1] - previous[1])))
            if inside(current):
                out.append(current)
        points = out
    return points


def pieces_of(points):
    """A ring cut at the map's edges (the meridian opposite CENTRAL_MERIDIAN): one piece, or two when it
    crosses (each piece in -180..180 around the central meridian)."""
    ring = unwrap(points)
    pieces = []
    for shift in (0, 360, -360):
        piece = clip([(lon + shift, lat) for lon, lat in ring], -180, 180)
        if len(piece) >= 3:
            pieces.append(piece)
    return pieces


def simplify(points, tolerance):
    """Douglas-Peucker, iterative."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        (ax, ay), (bx, by) = points[start], points[end]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        farthest, distance = None, tolerance
        for i in range(start + 1, end):
            px, py = points[i]
            d = (
                abs(dy * px - dx * py + bx * ay - by * ax) / length
                if length
                else math.hypot(px - ax, py - ay)
            )
            if d > distance:
                farthest, distance = i, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(start, farthest), (farthest, end)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def area(points) -> float:
    return (
        abs(
            sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))
        )
        / 2
    )


def path_data(rings, top: int) -> str:
    parts = []
    for ring in rings:
        x0, y0 = ring[0][0], ring[0][1] - top
        moves = [f"M{x0} {y0}"]
        px, py = ring[0]
        for x, y in ring[1:]:
            moves.append(f"l{x - px} {y - py}")
            px, py = x, y
        parts.append("".join(moves).replace(" -", "-") + "z")
    return "".join(parts)


def build(source: Path) -> dict:
    import django

    django.setup()
    from django_countries import countries

    topology = json.loads(source.read_text())
    arcs = decode_arcs(topology)
    # The projected world's extent (Natural Earth I at latitude ±90 and longitude ±180).
    left = natural_earth(-180, 0)[0]
    top = natural_earth(0, 90)[1]
    scale = WIDTH / (2 * -left)

    def project(lon, lat):
        x, y = natural_earth(lon, lat)
        return (x - left) * scale, (top - y) * scale

    shapes: dict[str, list] = {}
    lowest, highest = 0, WIDTH
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        if numeric in LEFT_OUT or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        code = (countries.alpha2(numeric) if numeric else "") or ""
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        pieces = []
        for polygon in polygons:
            for position, ring in enumerate(polygon):
                for piece in pieces_of(ring_points(ring, arcs)):
                    projected = [project(lon, lat) for lon, lat in piece]
                    simplified = simplify(projected, TOLERANCE)
                    rounded = []
                    for x, y in simplified:
                        point = (round(x), round(y))
                        if not rounded or rounded[-1] != point:
                            rounded.append(point)
                    if len(rounded) >= 3:
                        pieces.append((area(projected), position == 0, rounded))
        if not pieces:
            continue
        biggest = max(pieces, key=lambda piece: piece[0])
        kept = [rings for size, outer, rings in pieces if size >= MIN_AREA or rings is biggest[2]]
        lowest = max(lowest, *(y for ring in kept for _, y in ring))
        highest = min(highest, *(y for ring in kept for _, y in ring))
        shapes.setdefault(code or f"_{geometry.get('properties', {}).get('name', '')}", []).extend(kept)

    centres, small = {}, []
    for code, rings in shapes.items():
        ring = max(rings, key=area)
        if area(ring) < SMALL_AREA and not code.startswith("_"):
            small.append(code)
        centres[code] = [
            round(sum(x for x, _ in ring) / len(ring)),
            round(sum(y for _, y in ring) / len(ring)) - highest + 2,
        ]
    return {
        "source": "world-atlas 2.0.2 countries-50m.json: Natural Earth 4.1.0 Admin 0, 1:50m (public domain); "
        "Natural Earth I projection; built by overseas_safety/data/build_world.py",
        "width": WIDTH,
        "height": lowest - highest + 4,
        "countries": {code: path_data(rings, highest - 2) for code, rings in sorted(shapes.items())},
        # A point inside (or near) each country's largest piece: where a marker goes for a small country.
        # Countries too small to see or tap at a phone's width: worldmap.py marks them with a dot.
        "small": sorted(small),
        "centres": {code: centres[code] for code in sorted(centres) if not code.startswith("_")},
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    world = build(Path(sys.argv[1]))
    OUT.write_text(json.dumps(world, separators=(",", ":"), ensure_ascii=False) + "\n")
    print(f"{OUT}: {len(world['countries'])} shapes, {OUT.stat().st_size // 1024} KB")
