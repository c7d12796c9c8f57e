"""Municipal mergers (herindelingen): map historic gemeente codes onto 2024 boundaries."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from etl.config import REFERENCE_DIR
from etl.raw import stripped

MERGERS_PATH = REFERENCE_DIR / "mergers.csv"
MERGER_COLUMNS = ["effective_date", "old_code", "old_name", "new_code", "new_name", "kind", "note"]
KINDS = {"merger", "split", "rename"}
CODE_PATTERN = r"GM\d{4}"
SHARE_TOLERANCE = 1e-9
MAX_GROWTH = 0.05  # one year's population growth of the successors together, as a fraction
SHARE_COLUMNS = ["old_code", "new_code", "share", "method"]
MAP_COLUMNS = ["old_code", "code_2024", "share"]


class MergerError(ValueError):
    """Merger facts, split shares or a successor map are inconsistent."""


class _ShareGap(Exception):
    """Split shares cannot be computed from the population at hand (internal)."""


def read_mergers(path: Path | None = None) -> pd.DataFrame:
    """Read etl/reference/mergers.csv (default path beside this module)."""
    path = MERGERS_PATH if path is None else Path(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    check_mergers(frame)
    frame["effective_date"] = pd.to_datetime(frame["effective_date"], format="%Y-%m-%d")
    return frame


def check_mergers(frame: pd.DataFrame) -> None:
    """Raise MergerError when the merger list is malformed or its kinds contradict its rows."""
    missing = set(MERGER_COLUMNS) - set(frame.columns)
    if missing:
        raise MergerError(f"merger list lacks columns {sorted(missing)}")
    codes = pd.concat([frame["old_code"], frame["new_code"]])
    bad_codes = sorted(set(codes[~codes.str.fullmatch(CODE_PATTERN)]))
    bad_kinds = sorted(set(frame["kind"]) - KINDS)
    if bad_codes or bad_kinds:
        raise MergerError(f"bad gemeente codes {bad_codes} or kinds {bad_kinds}")
    if frame.duplicated(["old_code", "new_code"]).any() or (frame.old_code == frame.new_code).any():
        raise MergerError("merger list repeats a pair or maps a code onto itself")
    is_split = frame["old_code"].isin(split_codes(frame))
    if (is_split != (frame["kind"] == "split")).any():
        raise MergerError("kind 'split' must mark exactly the codes with several successors")


def split_codes(mergers: pd.DataFrame) -> set[str]:
    """Return the old codes that went to more than one successor."""
    counts = mergers.groupby("old_code")["new_code"].nunique()
    return set(counts.index[counts > 1])


def effective_years(mergers: pd.DataFrame) -> pd.Series:
    """Return the year each merger row took effect (Weesp: 2022)."""
    return pd.to_datetime(mergers["effective_date"]).dt.year


def derive_split_shares(
    mergers: pd.DataFrame, population: pd.DataFrame, adjust_growth: bool = True
) -> pd.DataFrame:
    """Share out every split gemeente over its successors: old_code, new_code, share, method.

    A split gemeente is an old_code with several new_codes; shares sum to 1 per old_code.
    population: gemeente_code, year, population on each year's own boundaries (85644NED).
    Gain of a successor = its population in the effective year Y minus its baseline, the
    population in Y-1 of itself (if it existed) plus its other, whole predecessors. With
    adjust_growth the baseline is first scaled by the growth factor that makes the gains add up
    to the split gemeente's own population: that removes a large successor's natural growth
    (Tilburg's +2,158 in 2021 would otherwise all be credited to Biezenmortel, ~1,430 people).
    Gains are clipped at 0 and normalised; missing years fall back to equal shares.
    """
    pops = population.set_index(["gemeente_code", "year"])["population"].dropna()
    if not pops.index.is_unique:
        raise MergerError("population has several rows for one gemeente and year")
    rows = mergers.assign(year=effective_years(mergers))
    splits = rows[rows["old_code"].isin(split_codes(rows))]
    parts = [
        share_one_split(old_code, group, rows, pops, adjust_growth)
        for old_code, group in splits.groupby("old_code", sort=True)
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=SHARE_COLUMNS)


def share_one_split(
    old_code: str, rows: pd.DataFrame, mergers: pd.DataFrame, pops: pd.Series, adjust: bool
) -> pd.DataFrame:
    """Return the shares of one split gemeente, or equal shares saying why."""
    successors = rows["new_code"].tolist()
    year = int(rows["year"].iloc[0])
    try:
        gains, method = estimate_gains(old_code, year, successors, mergers, pops, adjust)
    except _ShareGap as gap:
        gains, method = pd.Series(1.0, index=successors), f"equal shares ({gap})"
    gains = gains.clip(lower=0)
    if gains.sum() <= 0:
        gains, method = pd.Series(1.0, index=successors), "equal shares (no positive gain)"
    return pd.DataFrame(
        {
            "old_code": old_code,
            "new_code": successors,
            "share": (gains / gains.sum()).to_numpy(),
            "method": method,
        }
    )


def estimate_gains(
    old_code: str,
    year: int,
    successors: list[str],
    mergers: pd.DataFrame,
    pops: pd.Series,
    adjust: bool,
) -> tuple[pd.Series, str]:
    """Return each successor's population gain in the effective year and a method label."""
    now = pd.Series({s: lookup(pops, s, year) for s in successors}, dtype=float)
    base = pd.Series({s: baseline(old_code, s, year, mergers, pops) for s in successors})
    growth = 1.0
    if adjust:
        growth = now.sum() / (base.sum() + lookup(pops, old_code, year - 1))
        if abs(growth - 1) > MAX_GROWTH:  # e.g. an existing successor's Y-1 figure is missing
            raise _ShareGap(f"implausible growth factor {growth:.3f}")
    label = f"population difference {year - 1}->{year}"
    label += f", baseline growth factor {growth:.5f}" if adjust else ""
    return now - growth * base, label


def baseline(
    old_code: str, successor: str, year: int, mergers: pd.DataFrame, pops: pd.Series
) -> float:
    """Return the Y-1 population of a successor (if it existed) plus its whole predecessors."""
    same_event = mergers[(mergers["year"] == year) & (mergers["new_code"] == successor)]
    others = same_event.loc[same_event["old_code"] != old_code, "old_code"]
    if others.isin(split_codes(mergers)).any():
        raise _ShareGap(f"{successor} also takes part of another split gemeente")
    own = pops.get((successor, year - 1), 0.0)
    return own + sum(lookup(pops, code, year - 1) for code in others)


def lookup(pops: pd.Series, code: str, year: int) -> float:
    """Return one population figure, or raise _ShareGap naming what is missing."""
    try:
        return float(pops.loc[(code, year)])
    except KeyError:
        raise _ShareGap(f"no population for {code} in {year}") from None


def build_successor_map(
    mergers: pd.DataFrame, current_codes: Iterable[str], shares: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Map every historic code to its 2024 gemeente(n): old_code, code_2024, share.

    Chains are followed transitively (A->B 2016, B->C 2019 gives A->C); splits multiply shares
    along the chain; current codes map to themselves with share 1. Without `shares`, split
    gemeenten are shared out equally. Raise MergerError if a successor chain ends in a code
    that is not current, runs back in time or loops.
    """
    current = {str(code).strip() for code in current_codes}
    edges = attach_shares(mergers, shares)
    retired = set(edges["old_code"]) & current
    if retired:
        raise MergerError(f"codes both current and merged away: {sorted(retired)}")
    paths = follow_chains(edges).groupby(["old_code", "code_2024"], as_index=False)["share"].sum()
    dead_ends = paths.loc[~paths["code_2024"].isin(current)]
    if not dead_ends.empty:
        pairs = sorted(zip(dead_ends["old_code"], dead_ends["code_2024"], strict=True))
        raise MergerError(f"successor chains end in codes that are not current: {pairs}")
    itself = pd.DataFrame({"old_code": sorted(current), "code_2024": sorted(current), "share": 1.0})
    return pd.concat([paths, itself], ignore_index=True)[MAP_COLUMNS]


def attach_shares(mergers: pd.DataFrame, shares: pd.DataFrame | None) -> pd.DataFrame:
    """Return merger edges old_code, new_code, share, date; splits take the given shares."""
    edges = mergers[["old_code", "new_code"]].assign(
        date=pd.to_datetime(mergers["effective_date"]).to_numpy()
    )
    splits = edges["old_code"].isin(split_codes(mergers))
    if shares is None:
        counts = edges.groupby("old_code")["new_code"].transform("size")
        return edges.assign(share=1.0 / counts)
    given = shares[["old_code", "new_code", "share"]]
    pairs = ["old_code", "new_code"]
    listed = pd.MultiIndex.from_frame(edges[pairs])
    if not pd.MultiIndex.from_frame(given[pairs]).isin(listed).all():
        raise MergerError("split shares name pairs that are not in the merger list")
    edges = edges.merge(given, how="left", on=pairs)
    edges.loc[~splits.to_numpy(), "share"] = 1.0
    totals = edges.groupby("old_code")["share"].sum()
    off = totals[(totals - 1).abs().gt(SHARE_TOLERANCE)]
    if edges["share"].isna().any() or not off.empty:
        raise MergerError(f"split shares missing or not summing to 1: {off.to_dict()}")
    return edges


def follow_chains(edges: pd.DataFrame) -> pd.DataFrame:
    """Follow every code to the end of its chain: old_code, code_2024, share (one row a path)."""
    steps = edges.rename(
        columns={"old_code": "code_2024", "new_code": "next", "share": "step", "date": "next_date"}
    )
    paths = edges.rename(columns={"new_code": "code_2024"})
    for _ in range(len(edges) + 1):
        joined = paths.merge(steps, on="code_2024", how="left")
        more = joined["next"].notna()
        if not more.any():
            return paths[MAP_COLUMNS]
        if (joined.loc[more, "next_date"] < joined.loc[more, "date"]).any():
            raise MergerError("a successor chain runs back in time")
        paths = pd.DataFrame(
            {
                "old_code": joined["old_code"],
                "code_2024": joined["next"].where(more, joined["code_2024"]),
                "share": joined["share"] * joined["step"].where(more, 1.0),
                "date": joined["next_date"].where(more, joined["date"]),
            }
        )
    raise MergerError("successor chains loop")


def convert_to_current(
    frame: pd.DataFrame,
    value_cols: list[str],
    successor_map: pd.DataFrame,
    code_col: str = "gemeente_code",
    year_col: str = "year",
    batch_col: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Re-express additive values (counts, numerators/denominators of rates) on 2024 boundaries.

    Values of merged gemeenten are summed into their successor, split gemeenten shared out by
    `share`. Returns (converted, unconverted):
    converted: code_col, year_col, value_cols..., is_converted (any contributing row came from
    another code or had a share < 1), is_shared (a contributing row had a share < 1: a split
    gemeente shared out by population, i.e. an estimate), n_sources (contributing rows);
    unconverted: the input rows whose code is neither current nor in the map, to be counted
    as missing by the caller, never silently dropped.
    A NULL in any contributing row makes that column NULL for the 2024 gemeente and year (a
    partial sum would be wrong). So drop rows of codes that did not exist in a year first: CBS
    lists every code in every period, with NULL where the gemeente did not exist. A 2024
    gemeente that lacks a predecessor's row altogether is NOT detectable here: its sum is
    silently partial. Other columns of `frame` are not carried.
    With `batch_col`, frame holds the rows of several frames told apart by that column: each is
    converted on its own (the column leads the keys of `converted`), in one merge and grouping.
    """
    keys = ([batch_col] if batch_col else []) + [code_col, year_col]
    sources = frame[keys + value_cols].reset_index(drop=True)
    if sources[keys].isna().any().any():
        raise MergerError(f"frame has NULL keys ({code_col}, {year_col})")
    sources[code_col] = stripped(sources[code_col])
    if sources.duplicated(keys).any():
        raise MergerError(f"frame has several rows for one {code_col} and {year_col}")
    known = sources[code_col].isin(successor_map["old_code"]).to_numpy()
    unconverted = frame.loc[~known]
    route = successor_map.rename(columns={"old_code": "_source", "code_2024": code_col})
    joined = sources.loc[known].rename(columns={code_col: "_source"}).merge(route, on="_source")
    values = joined[value_cols].mul(joined["share"], axis=0)
    shared = joined["share"] < 1
    rows = pd.concat([joined[keys], values], axis=1).assign(
        is_converted=(joined["_source"] != joined[code_col]) | shared, is_shared=shared)
    grouped = rows.groupby(keys)  # one grouping for every aggregate below
    sums = grouped[value_cols].sum(skipna=False)  # a NULL in any contributing row: NULL
    flags = grouped[["is_converted", "is_shared"]].max().assign(n_sources=grouped.size())
    converted = sums.join(flags).reset_index()
    columns = keys + value_cols + ["is_converted", "is_shared", "n_sources"]
    return converted[columns], unconverted
