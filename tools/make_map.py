#!/usr/bin/env python3
"""Regenerate ``assets/map/outlines.json`` from Natural Earth (public domain).

Source: the Natural Earth 1:110m "admin 0 countries" layer, as shipped in the
``geopandas==0.14.4`` wheel under
``geopandas/datasets/naturalearth_lowres/naturalearth_lowres.{shp,shx,dbf}``.
The shapefile is read straight out of the wheel (a zip file); geopandas itself
is never installed or imported.

Usage::

    pip install pyshp                      # only needed to run this tool
    python tools/make_map.py               # downloads the wheel with pip
    python tools/make_map.py --wheel /path/to/geopandas-0.14.4-py3-none-any.whl

The output is deterministic: running it twice on the same wheel gives a
byte-identical file.

Geometry handling: every country whose outline reaches into ``BBOX`` is kept;
each ring is clipped to the box with Sutherland-Hodgman, rounded to 3
decimals, and dropped when nothing (or only a sliver) remains. Rings are
written *open* (the first point is not repeated at the end). Where a country
leaves the box (Russia to the east and north, etc.) the clipped ring runs
along the box edge, so a renderer that strokes outlines should clip its
drawing to the bbox or accept those straight edges at the map frame.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

try:
    import shapefile  # pyshp
except ImportError:  # pragma: no cover - tool-only dependency
    sys.exit("tools/make_map.py needs pyshp: pip install pyshp")

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "assets" / "map" / "outlines.json"

GEOPANDAS_VERSION = "0.14.4"
WHEEL_NAME = f"geopandas-{GEOPANDAS_VERSION}-py3-none-any.whl"
# sha256 of the wheel the committed outlines.json was made from.
WHEEL_SHA256 = "3bb6473cb59d51e1a7fe2dbc24a1a063fb0ebdeddf3ce08ddbf8c7ddc99689aa"
SHP_BASE = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"

# lon_min, lat_min, lon_max, lat_max
BBOX = (4.0, 38.0, 50.0, 72.0)
DECIMALS = 3
# Rings whose clipped area (in square degrees) is below this are dropped.
MIN_AREA = 0.01

# Output key -> Natural Earth "name" field. Keys are ISO 3166-1 alpha-3 codes
# (the dataset has "-99" for Kosovo, so keys are chosen here, not read).
# The first block is what the game is about; the rest are neighbours kept so
# the box has no blank land.
COUNTRIES = {
    "BLR": "Belarus",
    "RUS": "Russia",
    "UKR": "Ukraine",
    "POL": "Poland",
    "LTU": "Lithuania",
    "LVA": "Latvia",
    "EST": "Estonia",
    "MDA": "Moldova",
    "SVK": "Slovakia",
    "FIN": "Finland",
    "ROU": "Romania",
    "HUN": "Hungary",
    "SRB": "Serbia",
    "BGR": "Bulgaria",
    "GEO": "Georgia",
    # Added with the wider box (issue 14: Scandinavia, central Europe, the Caucasus).
    "NOR": "Norway",
    "SWE": "Sweden",
    "DNK": "Denmark",
    "DEU": "Germany",
    "NLD": "Netherlands",
    "BEL": "Belgium",
    "LUX": "Luxembourg",
    "FRA": "France",
    "CHE": "Switzerland",
    "AUT": "Austria",
    "CZE": "Czechia",
    "ITA": "Italy",
    "SVN": "Slovenia",
    "HRV": "Croatia",
    "BIH": "Bosnia and Herz.",
    "MNE": "Montenegro",
    "XKX": "Kosovo",
    "ALB": "Albania",
    "MKD": "North Macedonia",
    "GRC": "Greece",
    "TUR": "Turkey",
    "ARM": "Armenia",
    "AZE": "Azerbaijan",
    "KAZ": "Kazakhstan",
    "IRN": "Iran",
}

# Approximate city-centre coordinates (WGS84, decimal degrees). The capitals
# agree to within ~0.05 deg with Natural Earth's populated places layer in
# the same wheel; the others are standard published centre coordinates.
PLACES = {
    "minsk": ("Minsk", 27.56, 53.90),
    "moscow": ("Moscow", 37.62, 55.75),
    "hrodno": ("Hrodna", 23.83, 53.68),
    "brest": ("Brest", 23.73, 52.10),
    "vitebsk": ("Vitebsk", 30.20, 55.19),
    "mogilev": ("Mogilev", 30.34, 53.92),
    "gomel": ("Gomel", 30.98, 52.43),
    "smolensk": ("Smolensk", 32.05, 54.78),
    "saint_petersburg": ("Saint Petersburg", 30.32, 59.94),
    "kaliningrad": ("Kaliningrad", 20.51, 54.71),
    "sevastopol": ("Sevastopol", 33.52, 44.62),
    "kyiv": ("Kyiv", 30.52, 50.45),
    "warsaw": ("Warsaw", 21.01, 52.23),
    "vilnius": ("Vilnius", 25.28, 54.69),
    "riga": ("Riga", 24.11, 56.95),
    "tallinn": ("Tallinn", 24.75, 59.44),
    "chisinau": ("Chisinau", 28.86, 47.01),
    "tbilisi": ("Tbilisi", 44.79, 41.72),
    "helsinki": ("Helsinki", 24.94, 60.17),
    "stockholm": ("Stockholm", 18.07, 59.33),
    "oslo": ("Oslo", 10.75, 59.91),
    "copenhagen": ("Copenhagen", 12.57, 55.68),
    "berlin": ("Berlin", 13.40, 52.52),
    "bucharest": ("Bucharest", 26.10, 44.43),
    "yerevan": ("Yerevan", 44.51, 40.18),
    "baku": ("Baku", 49.87, 40.41),
}

PROVENANCE = (
    "Natural Earth 1:110m Cultural Vectors, admin 0 countries "
    "(ne_110m_admin_0_countries), as redistributed in the geopandas "
    f"{GEOPANDAS_VERSION} wheel ({SHP_BASE}.shp, wheel sha256 {WHEEL_SHA256}). "
    "In that copy the geopandas maintainers moved Crimea from Russia's to "
    "Ukraine's outline. Clipped to bbox and rounded to 3 decimals by "
    "tools/make_map.py. Place coordinates are approximate city centres."
)
LICENCE = "public domain (Natural Earth)"


# --------------------------------------------------------------------------
# geometry helpers
# --------------------------------------------------------------------------

Point = tuple[float, float]


def _clip_edge(ring: list[Point], inside, intersect) -> list[Point]:
    out: list[Point] = []
    if not ring:
        return out
    prev = ring[-1]
    prev_in = inside(prev)
    for cur in ring:
        cur_in = inside(cur)
        if cur_in:
            if not prev_in:
                out.append(intersect(prev, cur))
            out.append(cur)
        elif prev_in:
            out.append(intersect(prev, cur))
        prev, prev_in = cur, cur_in
    return out


def _x_cross(p: Point, q: Point, x: float) -> Point:
    t = (x - p[0]) / (q[0] - p[0])
    return (x, p[1] + t * (q[1] - p[1]))


def _y_cross(p: Point, q: Point, y: float) -> Point:
    t = (y - p[1]) / (q[1] - p[1])
    return (p[0] + t * (q[0] - p[0]), y)


def clip_ring(ring: list[Point], bbox=BBOX) -> list[Point]:
    """Sutherland-Hodgman clip of one (open) ring to an axis-aligned box."""
    x0, y0, x1, y1 = bbox
    ring = _clip_edge(ring, lambda p: p[0] >= x0, lambda p, q: _x_cross(p, q, x0))
    ring = _clip_edge(ring, lambda p: p[0] <= x1, lambda p, q: _x_cross(p, q, x1))
    ring = _clip_edge(ring, lambda p: p[1] >= y0, lambda p, q: _y_cross(p, q, y0))
    ring = _clip_edge(ring, lambda p: p[1] <= y1, lambda p, q: _y_cross(p, q, y1))
    return ring


def signed_area(ring: list[Point]) -> float:
    """Shoelace area; positive for counter-clockwise rings."""
    s = 0.0
    n = len(ring)
    for i in range(n):
        ax, ay = ring[i]
        bx, by = ring[(i + 1) % n]
        s += ax * by - bx * ay
    return s / 2.0


def round_ring(ring: list[Point]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or p != out[-1]:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def bbox_overlaps(b, box=BBOX) -> bool:
    return b[0] <= box[2] and b[2] >= box[0] and b[1] <= box[3] and b[3] >= box[1]


# --------------------------------------------------------------------------
# input
# --------------------------------------------------------------------------


def fetch_wheel(dest: Path) -> Path:
    cmd = [
        sys.executable, "-m", "pip", "download", "--no-deps",
        f"geopandas=={GEOPANDAS_VERSION}", "-d", str(dest),
    ]
    print("running:", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)
    return dest / WHEEL_NAME


def read_countries(wheel: Path) -> dict[str, list[list[Point]]]:
    """Return {NE name: [ring, ...]} for the countries in COUNTRIES."""
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        print(f"warning: wheel sha256 {digest} differs from the recorded "
              f"{WHEEL_SHA256}", file=sys.stderr)
    with zipfile.ZipFile(wheel) as zf:
        parts = {ext: io.BytesIO(zf.read(f"{SHP_BASE}.{ext}"))
                 for ext in ("shp", "shx", "dbf")}
    reader = shapefile.Reader(shp=parts["shp"], shx=parts["shx"],
                              dbf=parts["dbf"], encoding="latin-1")
    wanted = set(COUNTRIES.values())
    found: dict[str, list[list[Point]]] = {}
    for sr in reader.iterShapeRecords():
        name = sr.record["name"]
        if name not in wanted:
            continue
        shape = sr.shape
        bounds = list(shape.parts) + [len(shape.points)]
        rings = []
        for a, b in zip(bounds[:-1], bounds[1:]):
            ring = [(float(x), float(y)) for x, y in shape.points[a:b]]
            if len(ring) > 1 and ring[0] == ring[-1]:
                ring.pop()
            # Shapefile outer rings are clockwise (negative shoelace area);
            # a counter-clockwise ring would be a hole, which the output
            # format has no place for.
            if signed_area(ring) > 0 and bbox_overlaps(_ring_bbox(ring)):
                raise SystemExit(f"{name} has a hole inside the box; "
                                 "the output format cannot express it")
            rings.append(ring)
        found[name] = rings
    missing = wanted - set(found)
    if missing:
        raise SystemExit(f"not in the shapefile: {sorted(missing)}")
    return found


def _ring_bbox(ring: list[Point]):
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return (min(xs), min(ys), max(xs), max(ys))


# --------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------


def build(wheel: Path) -> dict:
    raw = read_countries(wheel)
    countries = {}
    for key, name in COUNTRIES.items():
        polys = []
        for ring in raw[name]:
            if not bbox_overlaps(_ring_bbox(ring)):
                continue
            clipped = round_ring(clip_ring(ring))
            if len(clipped) < 3 or abs(signed_area(clipped)) < MIN_AREA:
                continue
            polys.append(clipped)
        if not polys:
            print(f"note: {name} has nothing inside the box; skipped",
                  file=sys.stderr)
            continue
        # Largest piece first, so polygons[0] is the mainland.
        polys.sort(key=lambda r: -abs(signed_area(r)))
        countries[key] = {"name": name, "polygons": polys}
    places = {
        key: {"name": name, "lon": lon, "lat": lat}
        for key, (name, lon, lat) in PLACES.items()
    }
    return {
        "provenance": PROVENANCE,
        "licence": LICENCE,
        "bbox": list(BBOX),
        "countries": countries,
        "places": places,
    }


def dumps(doc: dict) -> str:
    """JSON with one ring per line: small, and readable in a diff."""
    c = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    lines = ["{"]
    lines.append(f' "provenance": {c(doc["provenance"])},')
    lines.append(f' "licence": {c(doc["licence"])},')
    lines.append(f' "bbox": {c(doc["bbox"])},')
    lines.append(' "countries": {')
    items = list(doc["countries"].items())
    for i, (key, country) in enumerate(items):
        lines.append(f'  {c(key)}: {{"name": {c(country["name"])}, "polygons": [')
        polys = country["polygons"]
        for j, ring in enumerate(polys):
            lines.append("   " + c(ring) + ("," if j < len(polys) - 1 else ""))
        lines.append("  ]}" + ("," if i < len(items) - 1 else ""))
    lines.append(" },")
    lines.append(' "places": {')
    places = list(doc["places"].items())
    for i, (key, place) in enumerate(places):
        lines.append(f"  {c(key)}: {c(place)}" + ("," if i < len(places) - 1 else ""))
    lines.append(" }")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == json.loads(json.dumps(doc))
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", type=Path,
                    help=f"path to {WHEEL_NAME} (default: pip download it)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        doc = build(wheel)
    text = dumps(doc)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    n_pts = sum(len(r) for cdata in doc["countries"].values() for r in cdata["polygons"])
    print(f"wrote {args.out} ({len(text.encode())} bytes, "
          f"{len(doc['countries'])} countries, {n_pts} points)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
