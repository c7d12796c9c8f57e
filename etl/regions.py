"""Regions and memberships: CBS divisions from 'Gebieden in Nederland' plus the pilot regions."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from etl.config import REFERENCE_DIR, parse_yaml

PILOT_FILE = REFERENCE_DIR / "pilot_regions.yaml"
HISTORIC_FILE = REFERENCE_DIR / "gemeenten_historisch.csv"
# Code pattern in 'Gebieden in Nederland' -> region level.
DIVISIONS = {"PV": "provincie", "CR": "corop", "AM": "arbeidsmarktregio"}
NL_CODE, NL_NAME = "NL01", "Nederland"
REGION_COLUMNS = [
    "region_code", "region_name", "region_level", "pilot_id", "variant_id", "is_default_variant",
    "description", "confidence", "n_gemeenten", "population", "valid_from",
]


class RegionError(ValueError):
    """Region reference data is inconsistent (unknown member, missing division column)."""


def find_division_columns(gebieden: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Locate the code/name column pair of each division by the shape of its codes."""
    found = {}
    for col in gebieden.columns:
        match = re.fullmatch(r"Code_(\d+)", col)
        if not match:
            continue
        values = gebieden[col].dropna().astype(str)
        prefix = values.str[:2].iloc[0] if len(values) else ""
        if prefix in DIVISIONS and values.str.fullmatch(rf"{prefix}\d\d").all():
            name_col = next((c for c in gebieden.columns
                             if re.fullmatch(rf"Naam_{int(match.group(1)) + 1}", c)), None)
            found[prefix] = (col, name_col)
    missing = set(DIVISIONS) - set(found)
    if missing:
        raise RegionError(f"Gebieden in Nederland lacks code columns for {sorted(missing)}")
    return found


def build_cbs_regions(gebieden: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Gemeenten, their divisions and Nederland from the staged 85755NED frame."""
    gm = gebieden.rename(columns={"gemeente_naam": "region_name"})
    gm = gm.assign(region_code=gm["gemeente_code"], population=gm["inwoners_aantal"])
    regions = [gm.assign(region_level="gemeente")[["region_code", "region_name", "region_level",
                                                    "population"]]]
    members = [pd.DataFrame({"region_code": gm["region_code"], "gemeente_code": gm["region_code"]})]
    for prefix, (code_col, name_col) in find_division_columns(gebieden).items():
        div = gm[[code_col, name_col, "region_code", "population"]]
        div.columns = ["div_code", "div_name", "gemeente_code", "population"]
        grouped = div.groupby(["div_code", "div_name"], as_index=False)["population"].sum()
        regions.append(pd.DataFrame({
            "region_code": grouped["div_code"], "region_name": grouped["div_name"],
            "region_level": DIVISIONS[prefix], "population": grouped["population"],
        }))
        members.append(div.rename(columns={"div_code": "region_code"})[["region_code",
                                                                         "gemeente_code"]])
    regions.append(pd.DataFrame([{"region_code": NL_CODE, "region_name": NL_NAME,
                                  "region_level": "land", "population": gm["population"].sum()}]))
    members.append(pd.DataFrame({"region_code": NL_CODE, "gemeente_code": gm["region_code"]}))
    return pd.concat(regions, ignore_index=True), pd.concat(members, ignore_index=True)


def read_pilot_regions(path: Path = PILOT_FILE) -> list[dict]:
    """The pilot regions as declared in the project's YAML file."""
    return parse_yaml(Path(path).read_text(encoding="utf-8"))["regions"]


def pilot_region_code(pilot_id: str, variant_id: str, default_variant: str) -> str:
    """PR_<id> for the default variant, PR_<id>__<variant> for the others."""
    return f"PR_{pilot_id}" if variant_id == default_variant else f"PR_{pilot_id}__{variant_id}"


def build_pilot_regions(pilots: list[dict], gemeente_codes: set[str]) -> tuple[pd.DataFrame,
                                                                               pd.DataFrame]:
    """One region per pilot variant; every member must be a current gemeente."""
    regions, members = [], []
    for pilot in pilots:
        for variant in pilot["variants"]:
            code = pilot_region_code(pilot["id"], variant["id"], pilot["default_variant"])
            codes = [m[0] for m in variant["members"]]
            unknown = sorted(set(codes) - gemeente_codes)
            if unknown:
                raise RegionError(f"pilot region {code}: members not among current gemeenten: "
                                  f"{unknown}")
            is_default = variant["id"] == pilot["default_variant"]
            regions.append({
                "region_code": code,
                "region_name": (pilot["name"] if is_default
                                else f"{pilot['name']}: {variant['label']}"),
                "region_level": "proeftuin", "pilot_id": pilot["id"], "variant_id": variant["id"],
                "is_default_variant": is_default, "description": pilot["description"],
                "confidence": str(variant.get("confidence", pilot["confidence"])),
                "valid_from": variant.get("valid_from"),
            })
            members += [{"region_code": code, "gemeente_code": c} for c in dict.fromkeys(codes)]
    return pd.DataFrame(regions), pd.DataFrame(members)


def build_regions(gebieden: pd.DataFrame, pilots: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The region and region_membership tables."""
    cbs_regions, cbs_members = build_cbs_regions(gebieden)
    gm_codes = set(cbs_regions.loc[cbs_regions["region_level"] == "gemeente", "region_code"])
    pr_regions, pr_members = build_pilot_regions(pilots, gm_codes)
    membership = pd.concat([cbs_members, pr_members], ignore_index=True).drop_duplicates()
    regions = pd.concat([cbs_regions, pr_regions], ignore_index=True)
    counts = membership.groupby("region_code")["gemeente_code"].nunique()
    population = cbs_regions.set_index("region_code")["population"]
    pop_by_region = (membership.assign(p=membership["gemeente_code"].map(population))
                     .groupby("region_code")["p"].sum())
    regions["n_gemeenten"] = regions["region_code"].map(counts).astype("int64")
    regions["population"] = regions["region_code"].map(pop_by_region).astype("int64")
    for col in REGION_COLUMNS:
        if col not in regions:
            regions[col] = None
    regions["is_default_variant"] = regions["is_default_variant"].fillna(True).astype(bool)
    regions["valid_from"] = pd.to_numeric(regions["valid_from"]).astype("Int32")
    return regions[REGION_COLUMNS], membership.reset_index(drop=True)


def read_historic_codes(path: Path = HISTORIC_FILE) -> set[str]:
    """Every gemeente code since 2010 (current and dissolved ones)."""
    return set(pd.read_csv(path, dtype=str)["code"])


def unknown_gemeente_codes(staged: pd.DataFrame, current: set[str],
                           known: set[str]) -> dict[str, list[str]]:
    """Per table, gemeente codes that are neither current nor a known historic code: a
    municipal change after the reference data (update etl/reference/) or a broken source."""
    odd = staged.loc[(staged["region_type"] == "GM") & ~staged["region_code"].isin(current | known),
                     ["table_id", "region_code"]].drop_duplicates()
    return {t: sorted(codes) for t, codes in odd.groupby("table_id")["region_code"]}
