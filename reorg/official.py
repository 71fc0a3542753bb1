"""The official conversion of the 2025 reform, as the packages ship it: which old communes (wards, towns) became
which new commune, with the new commune's code and name. Nothing is fetched from the web.

- `vietnamadminunits` holds the conversion: for each new commune (by province and ward key) the old units it
  was formed from (province_district_ward keys), and for the old units divided between several new ones
  the new communes they went to, one of them the default. Its unit tables (data/dataset.db) give the codes and
  names of the old units and of the new ones. Only its data files are read: importing the package loads
  shapely, numpy and geopy (about half a second and 45 MB per worker) for an address parser that may geocode
  over the web, and none of that is needed to read a table.
- `vietnam-provinces` is the current list of units: the new commune's official name and type come from it,
  and its own conversion table (`Ward.get_legacy_sources`) is compared with the first: where the two
  differ, the proposal says so (35 of the 3,321 new communes, all around divided wards).

Codes are strings of five digits, as the statistics office writes them and as units keep them ("01294").
"""

import datetime
import functools
import importlib.util
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

# Nghị quyết 202/2025/QH15 and the Standing Committee's resolutions per province: the two-level local
# government and the new communes took effect on 1 July 2025.
EFFECTIVE_DAY = datetime.date(2025, 7, 1)


@dataclass(frozen=True)
class OldUnit:
    """A commune-level unit before the reform, as the official conversion lists it."""

    code: str
    name: str  # with its type: "Xã Vĩnh Quang", "Thị trấn Pác Miầu"
    district: str  # "Huyện Bảo Lâm"
    # Divided between several new communes: the other new communes (codes) that took part of it.
    shared_with: tuple = ()
    # For a divided unit: whether this new commune is the one its records go to by default.
    default: bool = True

    @property
    def divided(self):
        return bool(self.shared_with)


@dataclass(frozen=True)
class NewCommune:
    """A commune-level unit formed on 1 July 2025, with the old units it was formed from."""

    code: str
    name: str  # without its type: "Lý Bôn"
    division: str  # "xã", "phường", "đặc khu"
    province: str  # "Tỉnh Cao Bằng"
    olds: tuple  # OldUnit, in the order of their codes
    # The old codes the other package lists for it, when they differ from `olds` (empty when they agree).
    other_source: tuple = ()

    @property
    def full_name(self):
        return f"{self.division[:1].upper()}{self.division[1:]} {self.name}"

    @property
    def old_codes(self):
        return [old.code for old in self.olds]


def _data_dir():
    """The data folder of vietnamadminunits, found without importing the package (see the module's doc)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The package vietnamadminunits is not installed (requirements.txt).")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@functools.cache
def _index():
    """({new code: {old code: OldUnit}}, {new code: (name, province)}, {old code: [new codes]}), read once per
    process from vietnamadminunits' data."""
    folder = _data_dir()
    conversion = json.loads((folder / "converter_2025.json").read_text(encoding="utf-8"))
    with sqlite3.connect(f"file:{folder / 'dataset.db'}?mode=ro", uri=True) as db:
        legacy = {
            f"{province}_{district}_{ward}": (code, name, district_name)
            for province, district, ward, code, name, district_name in db.execute(
                "SELECT provinceKey, districtKey, wardKey, wardCode, ward, district FROM admin_units_legacy"
            )
        }
        new = {
            (province, ward): (code, name, province_name)
            for province, ward, code, name, province_name in db.execute(
                "SELECT provinceKey, wardKey, wardCode, ward, province FROM admin_units"
            )
        }
    olds_of = {}  # new code -> {old code: OldUnit}
    for province_key, wards in conversion["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            code = new[(province_key, ward_key)][0]
            group = olds_of.setdefault(code, {})
            for key in old_keys:
                if key in legacy:
                    old_code, name, district = legacy[key]
                    group[old_code] = OldUnit(code=old_code, name=name, district=district)
    for province_key, divided in conversion["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in divided.items():
            if old_key not in legacy:
                continue
            old_code, name, district = legacy[old_key]
            codes = [new[(province_key, part["newWardKey"])][0] for part in parts]
            for part, code in zip(parts, codes, strict=True):
                olds_of.setdefault(code, {})[old_code] = OldUnit(
                    code=old_code,
                    name=name,
                    district=district,
                    shared_with=tuple(c for c in codes if c != code),
                    default=bool(part["isDefaultNewWard"]),
                )
    names = {code: (name, province) for (code, name, province) in new.values()}
    by_old = {}
    for code, olds in olds_of.items():
        for old_code in olds:
            by_old.setdefault(old_code, []).append(code)
    return olds_of, names, by_old


@functools.cache
def new_commune(code):
    """The new commune of official code `code`, with the old units it was formed from; None if unknown."""
    olds_of, names, _by_old = _index()
    if code not in olds_of:
        return None
    olds = olds_of[code]
    name, division, other = _current(code)
    table_name, province = names.get(code, ("", ""))
    return NewCommune(
        code=code,
        name=name or _without_type(table_name),
        division=division or "xã",
        province=province,
        olds=tuple(olds[c] for c in sorted(olds)),
        other_source=other if other and set(other) != set(olds) else (),
    )


def _current(code):
    """(name without type, type, old codes) of the new commune in vietnam-provinces' current list."""
    from vietnam_provinces import Ward, WardCode

    try:
        ward = Ward.from_code(WardCode(int(code)))
    except ValueError:
        return "", "", ()
    division = str(ward.division_type.value)
    others = tuple(sorted(f"{legacy.code.value:05d}" for legacy in ward.get_legacy_sources()))
    return _without_type(ward.name, division), division, others


def _without_type(name, division=None):
    """ "Xã Lý Bôn" -> "Lý Bôn": units keep their name without the type their level gives."""
    prefixes = [division] if division else ["xã", "phường", "thị trấn", "đặc khu"]
    for prefix in prefixes:
        if name.lower().startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


def new_communes_of(old_codes):
    """The new communes formed (wholly or in part) from any of the old communes `old_codes`, by code."""
    by_old = _index()[2]
    return [new_commune(code) for code in sorted({new for old in old_codes for new in by_old.get(old, [])})]
