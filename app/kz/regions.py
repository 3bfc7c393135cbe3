"""Regions and districts of Kazakhstan with kk/ru/en names, read from regions.json."""

import functools
import json
import pathlib
import types
from collections.abc import Mapping
from dataclasses import dataclass, field

# Region codes are the former ISO 3166-2:KZ letter codes (ALA, AST, MAN, SEV, ...);
# the regions created since then (ABA, JET, TUR, ULY) got codes in the same style.
_DATA_FILE = pathlib.Path(__file__).with_name("regions.json")


def _pick_name(names: Mapping[str, str], locale: str) -> str:
    language = locale.replace("-", "_").split("_")[0]
    return names.get(language) or names.get("ru") or names["en"]


@dataclass(frozen=True)
class District:
    code: str
    names: Mapping[str, str] = field(hash=False)

    def name(self, locale: str) -> str:
        return _pick_name(self.names, locale)


@dataclass(frozen=True)
class Region:
    code: str
    kind: str  # "city" (of republican significance) or "region" (oblast)
    names: Mapping[str, str] = field(hash=False)
    districts: tuple[District, ...] = ()

    def name(self, locale: str) -> str:
        return _pick_name(self.names, locale)


@functools.cache
def _regions_by_code() -> dict[str, Region]:
    raw = json.loads(_DATA_FILE.read_text(encoding="utf-8"))
    regions = (
        Region(
            code=r["code"],
            kind=r["kind"],
            names=types.MappingProxyType(r["names"]),
            districts=tuple(
                District(code=d["code"], names=types.MappingProxyType(d["names"]))
                for d in r["districts"]
            ),
        )
        for r in raw
    )
    ordered = sorted(regions, key=lambda r: (r.kind != "city", r.code))
    return {r.code: r for r in ordered}


@functools.cache
def _districts_by_code() -> dict[str, District]:
    return {d.code: d for r in _regions_by_code().values() for d in r.districts}


def all_regions() -> tuple[Region, ...]:
    """All regions: the three cities first, then the oblasts, each group by code."""
    return tuple(_regions_by_code().values())


def get_region(code: str) -> Region:
    """The region with this code; KeyError if there is none."""
    return _regions_by_code()[code]


def get_district(code: str) -> District:
    """The district (or city of regional significance) with this code; KeyError if none."""
    return _districts_by_code()[code]


def region_name(code: str, locale: str) -> str:
    """The region's name in `locale`, or the code itself when no region has it."""
    try:
        return get_region(code).name(locale)
    except KeyError:
        return code


def district_name(code: str, locale: str) -> str:
    """The district's name in `locale`, or the code itself when no district has it."""
    try:
        return get_district(code).name(locale)
    except KeyError:
        return code
