#!/usr/bin/env python3
"""Generate the demo councils' postcode tables, in the ONS Postcode Directory's CSV layout.

Eastmere (EM1-EM6) and Fenmoor (FM1-FM4) are fictional: EM and FM are not UK postcode areas, and
their ONS-style codes (E06999999, E06999998) belong to no real council. Each district gets 100
postcodes around its centre (sectors 0-9, ten units each), plus every postcode the Eastmere
directory's addresses use, so exact lookups work for its locations. Coordinates are for maps only.

Deterministic. Run:  .venv/bin/python scripts/generate_demo_postcodes.py
"""
from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.directory.postcodes import normalise  # noqa: E402

OUT_DIR = ROOT / "data" / "directory" / "postcodes"
COLUMNS = ["pcd", "pcd2", "pcds", "dointr", "doterm", "oscty", "oslaua", "osward", "ctry", "rgn", "lat", "long"]
UNITS = ("AB", "AD", "EF", "GH", "JL", "NP", "QR", "SU", "WX", "YZ")

# council: (ONS-style code, {district: (place, centre latitude, centre longitude)})
COUNCILS = {
    "eastmere": ("E06999999", {
        "EM1": ("Eastmere Town Centre", 52.6000, -1.2000), "EM2": ("Northmere", 52.6240, -1.1950),
        "EM3": ("Fenbridge", 52.6060, -1.1620), "EM4": ("Lowmoor", 52.5760, -1.2050),
        "EM5": ("Westmere", 52.5980, -1.2430), "EM6": ("Hollin Vale", 52.6290, -1.1520)}),
    "fenmoor": ("E06999998", {
        "FM1": ("Fenmoor Town", 52.8100, 0.0500), "FM2": ("Saltings", 52.8350, 0.0900),
        "FM3": ("Dykeside", 52.7850, 0.0200), "FM4": ("Marsh Chapel", 52.8000, 0.1300)}),
}


def _row(postcode: str, code: str, lat: float, lon: float) -> dict[str, str]:
    outward, inward = postcode.split(" ")
    return {"pcd": f"{outward:<4}{inward}",  # ONSPD's 7-character form
            "pcd2": f"{outward:<5}{inward}", "pcds": postcode, "dointr": "202601", "doterm": "",
            "oscty": "E99999999", "oslaua": code, "osward": "", "ctry": "E92000001", "rgn": "",
            "lat": f"{lat:.6f}", "long": f"{lon:.6f}"}


def generate(council: str) -> list[dict[str, str]]:
    code, districts = COUNCILS[council]
    rnd = random.Random(f"postcodes-{council}")
    postcodes: dict[str, tuple[float, float]] = {}
    for district, (_place, lat, lon) in districts.items():
        for sector in range(10):
            for unit in UNITS:
                point = (lat + rnd.uniform(-0.01, 0.01), lon + rnd.uniform(-0.015, 0.015))
                postcodes[f"{district} {sector}{unit}"] = point
    addresses = ROOT / "data" / "directory" / council / "addresses.csv"
    if addresses.is_file():
        with addresses.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                postcode = normalise(row["postal_code"])
                if postcode and postcode not in postcodes and postcode.split(" ")[0] in districts:
                    _place, lat, lon = districts[postcode.split(" ")[0]]
                    postcodes[postcode] = (lat + rnd.uniform(-0.008, 0.008), lon + rnd.uniform(-0.012, 0.012))
    return [_row(pc, code, *postcodes[pc]) for pc in sorted(postcodes)]


def main() -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for council in COUNCILS:
        rows = generate(council)
        with (OUT_DIR / f"{council}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        print(f"{council}: {len(rows)} postcodes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
