"""Postcodes: parsing what carers type into a Place (no database here).

Which council a postcode belongs to, where it is and whether this directory holds that council's
services come from the postcode table (bot.directory.postcodes, loaded from the ONS Postcode
Directory) through bot.directory.localities, which fills in the rest of a Place. Without that, a
Place knows only the fictional demo boroughs below; everywhere else gets England's national rules
and services.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

# Every UK postcode area; a bare district ("LS6") is only read as one when its area is real.
UK_AREAS = frozenset("""AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
DY E EC EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N
NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR
TS TW UB W WA WC WD WF WN WR WS WV YO ZE GY JE IM""".split())

# Fictional demo postcode areas (not real UK areas) -> their borough. Real areas map to councils
# through the postcode table.
LOCAL_AUTHORITIES = {"EM": "Eastmere"}
DEMO_DISTRICTS = tuple(f"EM{n}" for n in range(1, 7))

_FULL = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d)([A-Z]{2})\b", re.IGNORECASE)
_DISTRICT = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    district: Optional[str]  # "EM3"; None when a town or county was named instead of a postcode
    sector: Optional[str]  # "EM3 4", when a full postcode was given
    local_authority: Optional[str]  # the council's name ("Eastmere"), when known
    name: Optional[str] = None  # the town or county the carer named: "Norwich"
    council: Optional[str] = None  # the council that runs social care there: "Norfolk County Council"
    two_tier: bool = False  # in a two-tier county, district councils run council tax and housing
    postcode: Optional[str] = None  # "EM3 4AB", when a full postcode was given
    authority_code: Optional[str] = None  # ONS code, from the postcode table
    latitude: Optional[float] = None  # the postcode's (or its district's) centre
    longitude: Optional[float] = None
    has_directory: Optional[bool] = None  # does this directory hold the council's services? (None: not looked up)

    @property
    def covered(self) -> bool:
        """This directory has local details for the place."""
        if self.has_directory is not None:
            return self.has_directory
        return self.local_authority is not None

    @property
    def point(self) -> Optional[tuple[float, float]]:
        if self.latitude is None or self.longitude is None:
            return None
        return self.latitude, self.longitude

    @property
    def said(self) -> str:
        """How to name the place back to the carer: "LS6", "Norwich"."""
        return self.district or self.name or "your area"


def parse(text: Optional[str], expecting: bool = False) -> Optional[Place]:
    """A full postcode or a bare district ("em2") anywhere in the text; else an English town, city or
    county ("in Leeds", "Cornwall"). `expecting`: we just asked where, so a bare town name counts."""
    if not text:
        return None
    return _postcode(text) or _english(text, expecting)


def _english(text: str, expecting: bool) -> Optional[Place]:
    from bot.language import england

    found = england.find(text, expecting=expecting)
    if found is None:
        return None
    council = found.council
    return Place(None, None, None, found.said, council.council, council.two_tier)


def _postcode(text: str) -> Optional[Place]:
    full = _FULL.search(text)
    if full:
        district = full.group(1).upper()
        sector = f"{district} {full.group(2)}"
        return Place(district, sector, _authority(district), postcode=f"{sector}{full.group(3).upper()}")
    for match in _DISTRICT.finditer(text):
        candidate = match.group(1).upper()
        # A bare district must look like one: letters then digits (avoid "a1" in "plan a1"?).
        area = re.match(r"[A-Z]+", candidate).group(0)
        if re.fullmatch(r"[A-Z]{1,2}\d{1,2}[A-Z]?", candidate) and (_authority(candidate) or (
                area in UK_AREAS and len(area) == 2 and match.group(1).isupper())):
            return Place(candidate, None, _authority(candidate))
    return None


def district_candidates(text: Optional[str]) -> list[str]:
    """Every word shaped like a postcode district ("bs5", "FM2"), upper-cased, in order: for a
    caller who can check them against the postcode table."""
    found = []
    for match in _DISTRICT.finditer(text or ""):
        candidate = match.group(1).upper()
        if re.fullmatch(r"[A-Z]{1,2}\d{1,2}[A-Z]?", candidate) and candidate not in found:
            found.append(candidate)
    return found


def _authority(district: str) -> Optional[str]:
    area = re.match(r"[A-Z]+", district)
    authority = LOCAL_AUTHORITIES.get(area.group(0)) if area else None
    if authority == "Eastmere" and district not in DEMO_DISTRICTS:
        return None
    return authority


def extents_for(place: Optional[Place]) -> list[str]:
    """service_areas.extent values that cover a place, most local first."""
    extents = []
    if place is not None:
        if place.sector:
            extents.append(f"postcode_sector:{place.sector}")
        if place.district:
            extents.append(f"postcode_district:{place.district}")
        if place.local_authority:
            extents.append(f"local_authority:{place.local_authority}")
        if place.authority_code and place.authority_code != place.local_authority:
            extents.append(f"local_authority:{place.authority_code}")
    extents.append("country:England")
    return extents
