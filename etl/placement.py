"""Region codes CBS sends that the warehouse does not place, handled by rule, not by luck.

Two kinds, both left out of the staged rows and counted per table (build summary, build_info,
'Over de data'):

- aggregates outside any gemeente: 'Gemeenten; niet in te delen' (GM0998, GM0000, GM99xx),
  'Niet in te delen (PV)' (PV99), (LD) LD99, (CR) CR99, (AM) AM99, 'Buitenland'. CBS gives them
  values, so they would otherwise pass as a gemeente or a province and enter a sum. Recognised
  by CBS's own title in the RegioS code list, and by the code where the title is not there.
- gemeenten of years before our reference data: `etl/reference/gemeenten_historisch.csv`
  lists every gemeente code since 2010; a code CBS sends for an earlier year that is neither a
  2024 gemeente nor in that list (e.g. Bergschenhoek 2006, merged into Lansingerland in 2007)
  cannot be placed on 2024 boundaries without a sourced list of pre-2010 mergers, which we do
  not have. Those rows are left out with the reason; from 2010 on an unknown code still fails
  the build (a merger after the reference data must be added, never guessed).
"""

from __future__ import annotations

import re

import pandas as pd

from etl.raw import RawTable, stripped

HISTORIC_LIST_FROM = 2010  # the first year etl/reference/gemeenten_historisch.csv covers
AGGREGATE_TITLE = re.compile(r"niet in te delen|buitenland", re.IGNORECASE)
AGGREGATE_CODE = re.compile(r"(?:PV|LD|CR|AM|RE)99|GM(?:0000|099[89]|99\d\d)")
PRE_LIST_REASON = (f"gemeenten of before {HISTORIC_LIST_FROM} that are not 2024 gemeenten: our "
                   f"list of historic codes starts in {HISTORIC_LIST_FROM}, so they cannot be "
                   "placed on today's boundaries")
AGGREGATE_REASON = "rows of no gemeente ('niet in te delen', Buitenland): never part of a sum"


def aggregate_codes(raw: RawTable) -> dict[str, str]:
    """Bare region codes of the table that are aggregates outside any gemeente -> title."""
    found: dict[str, str] = {}
    regions = raw.dimensions.get("RegioS")
    if regions is not None and "Key" in regions:
        titles = regions["Title"] if "Title" in regions else pd.Series("", index=regions.index)
        for key, title in zip(stripped(regions["Key"]).tolist(),
                              titles.fillna("").astype(str).tolist(), strict=True):
            if AGGREGATE_TITLE.search(title) or AGGREGATE_CODE.fullmatch(key):
                found[key] = title.strip() or key
    if "RegioS" in raw.data:
        for key in stripped(raw.data["RegioS"]).unique():
            if key not in found and AGGREGATE_CODE.fullmatch(key):
                found[key] = key
    return found


def drop_aggregates(staged: pd.DataFrame, raw: RawTable) -> tuple[pd.DataFrame, dict]:
    """Staged rows without the aggregates; what was left out: {code title: rows}."""
    codes = aggregate_codes(raw)
    if not codes:
        return staged, {}
    hit = staged["region_code"].isin(codes)
    counts = staged.loc[hit, "region_code"].value_counts()
    left_out = {f"{code} {codes[code]}".strip(): int(n) for code, n in sorted(counts.items())}
    return staged.loc[~hit].reset_index(drop=True), left_out


def unplaced_before_list(staged: pd.DataFrame, placeable: set[str]) -> pd.Series:
    """Mask of gemeente rows before HISTORIC_LIST_FROM whose code cannot be placed."""
    return ((staged["region_type"] == "GM") & (staged["year"] < HISTORIC_LIST_FROM)
            & ~staged["region_code"].isin(placeable))


def left_out_text(entries: dict[str, int]) -> str | None:
    """'GM0998 Gemeenten; niet in te delen: 12 rows; PV99 ...: 4 rows' (None when nothing)."""
    if not entries:
        return None
    return "; ".join(f"{what}: {n} rows" for what, n in entries.items())
