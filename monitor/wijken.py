"""Wijken and buurten of a region: CBS's own figures per wijk (2024 and 2023) and buurt (2023).

A region's wijken are the wijken of its gemeenten. Nothing here adds wijken up: every figure
is the one CBS publishes for that wijk or buurt. The 2024 figures (85984NED) are on the 2024
wijk division, the 2023 distances (85830ENG) on 2023's; they share a row only where the code
means the same wijk in both years. A code whose name changed gets its 2023 figures on a row of
their own, and so does a 2023 code that no longer exists: nothing is put on a 2024 wijk it
may not belong to.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from monitor import figures, queries
from monitor.i18n import tr
from monitor.regions import Region

KWB, NABIJHEID = "85984NED", "85830ENG"


@dataclass(frozen=True)
class Measure:
    """One wijk figure: its CBS table and key, year, precision and direction."""

    id: str
    table: str
    key: str
    year: int
    decimals: int
    direction: str  # as in the indicator registry: maps colour by it

    def title(self, lang: str) -> str:
        return tr(f"wijk_m_{self.id}", lang)

    def unit(self, lang: str) -> str:
        return tr(f"wijk_u_{self.id}", lang)


MEASURES = (
    Measure("inwoners", KWB, "AantalInwoners_5", 2024, 0, "neutral"),
    Measure("dichtheid", KWB, "Bevolkingsdichtheid_34", 2024, 0, "neutral"),
    Measure("woningen", KWB, "Woningvoorraad_35", 2024, 0, "neutral"),
    Measure("huisarts", NABIJHEID, "DistanceToGPPractice_5", 2023, 1, "lower_is_better"),
    Measure("supermarkt", NABIJHEID, "DistanceToLargeSupermarket_24", 2023, 1,
            "lower_is_better"),
    Measure("kinderdagverblijf", NABIJHEID, "DistanceToDaycareCentres_52", 2023, 1,
            "lower_is_better"),
    Measure("basisschool", NABIJHEID, "DistanceToSchool_60", 2023, 1, "lower_is_better"),
    Measure("voortgezet", NABIJHEID, "DistanceToSchool_64", 2023, 1, "lower_is_better"),
    Measure("restaurant", NABIJHEID, "DistanceToRestaurant_44", 2023, 1, "lower_is_better"),
    Measure("ziekenhuis", NABIJHEID, "DistanceToHospital_11", 2023, 1, "lower_is_better"),
    Measure("oprit", NABIJHEID, "DistanceToMainRoadEntrance_89", 2023, 1, "lower_is_better"),
    Measure("treinstation", NABIJHEID, "DistanceToTrainStationAllTypes_90", 2023, 1,
            "lower_is_better"),
    Measure("overstapstation", NABIJHEID, "DistanceToImportantTransferStation_91", 2023, 1,
            "lower_is_better"),
)
BY_ID = {m.id: m for m in MEASURES}
DEFAULT_MEASURE = "dichtheid"
DISTANCES = tuple(m for m in MEASURES if m.table == NABIJHEID)
# The most a table on screen lists (the exports hold every row).
MAX_BUURT_ROWS_SHOWN = 5000


def measure(measure_id: str) -> Measure:
    """A wijk measure by id (KeyError for an unknown one)."""
    return BY_ID[measure_id]


def wide(values: pd.DataFrame, table: str) -> pd.DataFrame:
    """region_code x measure id of one table's figures."""
    keys = {m.key: m.id for m in MEASURES if m.table == table}
    part = values[(values["table_id"] == table) & values["measure"].isin(keys)]
    frame = part.pivot_table(index="region_code", columns="measure", values="value",
                             aggfunc="first", dropna=False)
    frame = frame.rename(columns=keys)
    return frame.reindex(columns=[m.id for m in MEASURES if m.table == table])


def status_text(row: pd.Series, of_2023: bool, lang: str) -> str:
    """What a row's code means across 2023 and 2024, in words."""
    status = row["status"]
    if of_2023 and status == "renamed":
        return tr("wijk_status_renamed_2023", lang, name=row["name_2024"])
    if of_2023:
        return tr("wijk_status_absent", lang)
    if status == "renamed":
        return tr("wijk_status_renamed_2024", lang, name=row["name_2023"])
    if status == "new_2024":
        return tr("wijk_status_new", lang)
    return ""


def wijk_rows(members: tuple[str, ...], lang: str) -> pd.DataFrame:
    """A row per 2024 wijk (its 2024 figures, and its 2023 distances where the code means the
    same wijk), plus a row per 2023 code that changed name or vanished (its 2023 distances).
    Columns: wijk_code, name, gemeente_name, year_kind ('2024' or '2023'), status, note and a
    column per measure id."""
    wijken = queries.wijken_of(tuple(members))
    values = queries.sub_values(tuple(members), "WK")
    kwb, near = wide(values, KWB), wide(values, NABIJHEID)
    now = wijken[wijken["has_2024"]].copy()
    now = now.join(kwb, on="wijk_code")
    same = now["status"] == "same"
    near_now = near.reindex(now["wijk_code"]).set_axis(now.index)
    near_now.loc[~same] = float("nan")  # a renamed code's 2023 figure is not this wijk's
    now = pd.concat([now, near_now], axis=1)
    now["name"] = now["name_2024"]
    now["year_kind"] = "2024"
    now["note"] = [status_text(r, False, lang) for _, r in now.iterrows()]
    then = wijken[wijken["has_2023"] & wijken["status"].isin(["renamed", "absent_2024"])].copy()
    then = then.join(near, on="wijk_code")
    then["name"] = [f"{n or c} (2023)" for n, c in zip(then["name_2023"], then["wijk_code"],
                                                        strict=True)]
    then["year_kind"] = "2023"
    then["note"] = [status_text(r, True, lang) for _, r in then.iterrows()]
    rows = pd.concat([now, then], ignore_index=True)
    columns = ["wijk_code", "name", "gemeente_code", "gemeente_name", "year_kind", "status",
               "note", *[m.id for m in MEASURES]]
    return rows.reindex(columns=columns).sort_values(
        ["gemeente_name", "wijk_code", "year_kind"], ascending=[True, True, False]
    ).reset_index(drop=True)


def buurt_rows(members: tuple[str, ...]) -> pd.DataFrame:
    """A row per buurt of 2023 (85830ENG): buurt code, its 2023 wijk (code and 2023 name),
    gemeente, and the distances. CBS's source here has no buurt names."""
    values = queries.sub_values(tuple(members), "BU")
    near = wide(values, NABIJHEID)
    wijken = queries.wijken_of(tuple(members)).set_index("wijk_code")
    codes = pd.Series(near.index, index=near.index)
    wijk_codes = "WK" + codes.str[2:8]
    frame = pd.DataFrame({
        "buurt_code": codes,
        "wijk_code": wijk_codes,
        "wijk_name_2023": wijk_codes.map(wijken["name_2023"]),
        "gemeente_name": wijk_codes.map(wijken["gemeente_name"]),
    })
    frame = pd.concat([frame, near[[m.id for m in DISTANCES]]], axis=1)
    return frame.sort_values(["gemeente_name", "buurt_code"]).reset_index(drop=True)


def map_frame(rows: pd.DataFrame, measure_id: str, several: bool) -> pd.DataFrame:
    """The 2024 wijken with one measure's value, for maps.choropleth: region_code, region_name
    (with its gemeente when the region has several), value, and a hover note on what the code
    means (a 2023 figure is drawn only where the code means the same wijk)."""
    now = rows[rows["year_kind"] == "2024"]
    names = now["name"].fillna(now["wijk_code"])
    if several:
        names = names + " (" + now["gemeente_name"] + ")"
    return pd.DataFrame({
        "region_code": now["wijk_code"].to_numpy(), "region_name": names.to_numpy(),
        "value": now[measure_id].astype(float).to_numpy(), "rank": float("nan"),
        "n_ranked": int(now[measure_id].notna().sum()), "hover_note": now["note"].to_numpy(),
    })


def counts(rows: pd.DataFrame) -> dict[str, int]:
    """How many wijken of 2024, renamed codes, vanished codes and new wijken the rows hold."""
    now = rows[rows["year_kind"] == "2024"]
    then = rows[rows["year_kind"] == "2023"]
    return {"wijken": len(now), "renamed": int((now["status"] == "renamed").sum()),
            "absent": int((then["status"] == "absent_2024").sum()),
            "new": int((now["status"] == "new_2024").sum())}


def export_frame(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The wijk table for CSV/Excel: codes, names, what the code means, and every figure with
    its year and CBS table in the column name."""
    frame = pd.DataFrame({
        "wijk_code": rows["wijk_code"], "wijk": rows["name"],
        "gemeente_code": rows["gemeente_code"], "gemeente": rows["gemeente_name"],
        "year_of_code": rows["year_kind"].astype(int), "status": rows["status"],
        "note": rows["note"],
    })
    for m in MEASURES:
        frame[f"{m.title(lang)} [{m.unit(lang)}] {m.year} ({m.table})"] = \
            rows[m.id].astype(float)
    return frame


def buurt_export_frame(buurten: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The buurt table for CSV/Excel, with year and CBS table in the column names."""
    frame = buurten[["buurt_code", "wijk_code", "wijk_name_2023", "gemeente_name"]].copy()
    for m in DISTANCES:
        frame[f"{m.title(lang)} [{m.unit(lang)}] {m.year} ({m.table})"] = \
            buurten[m.id].astype(float)
    return frame


def for_region(region: Region, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The wijk rows and buurt rows of a region (stored or composed: its gemeenten)."""
    return wijk_rows(region.members, lang), buurt_rows(region.members)


def view_parts(members: tuple[str, ...], measure_id: str, lang: str) -> dict:
    """What a wijk map is drawn from: the rows, the map frame, the wijk shapes, the gemeente
    outlines and the centre of the gemeenten (where the map's first, invisible point goes)."""
    rows = wijk_rows(members, lang)
    outline = {"geojson": queries.geometry(members), "codes": list(members),
               "names": list(members), "label": tr("wijk_gemeenten_outline", lang)}
    box = queries.geometry_bbox(members)
    centre = None if box is None else ((box["min_lon"] + box["max_lon"]) / 2,
                                       (box["min_lat"] + box["max_lat"]) / 2)
    return {"rows": rows, "frame": map_frame(rows, measure_id, several=len(members) > 1),
            "geojson": queries.wijk_geometry(members), "outline": outline, "centre": centre}


def picture_spec(parts: dict, measure_id: str, name: str, lang: str, made: str, *,
                 framed: bool = True) -> dict:
    """The wijk map as a picture (figures.map_spec): the same classes and colours as on the
    page, with title, unit, source and dates (framed=False: without them, for the page's own
    picture, whose page shows those)."""
    m = measure(measure_id)
    unit = m.unit(lang)
    hint = tr("map_dark_high" if m.direction == "neutral" else "map_dark_best", lang)
    return figures.map_spec(
        parts["frame"], parts["geojson"], {"direction": m.direction, "decimals": m.decimals,
                                           "unit": unit},
        title=f"{m.title(lang)}, {name}" if framed else "",
        subtitle=tr("wijk_fig_subtitle", lang, year=m.year, unit=unit) if framed else "",
        legend_title=f"{unit}\n{hint}",
        footer_text=figures.source_text([m.table], figures.built_date(), made,
                                        {k: tr(f"fig_{k}", lang)
                                         for k in ("source", "built", "made")})
        if framed else "",
        no_value=tr("no_value", lang), outline=parts["outline"])
