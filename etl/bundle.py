"""The data bundle shipped in the repository: declared CBS slices as Parquet, 2024 boundaries.

`python -m etl bundle --snapshot DIR` (or `--live`) writes data/bundle/: per table in
etl/tables.yaml only the declared measures and slices (plus the dimension columns staging
needs) as zstd Parquet, the gemeente boundaries as GeoParquet, and manifest.json (per table its
periods, rows, source, date taken, sha256, licence and the gemeenten missing per year). The
default build reads it back into the same RawTable the staging reads from a cbsodata download,
so one build path serves bundle, snapshot and live.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl import config
from etl.catalog import TableSpec, load_tables
from etl.raw import RawTable, RawTableError, conform, stripped
from etl.regions import find_division_columns
from etl.wijken import WIJK_GEO_FILE, write_wijk_boundaries

BUNDLE_DIR = config.DATA_DIR / "bundle"
MANIFEST = "manifest.json"
GEO_FILE = "geo/gemeente_2024.parquet"
FORMAT_VERSION = 1
META_KEY = b"rem_bundle"
REGION_PREFIXES = ("NL", "LD", "PV", "CR", "AM", "GM")
SUB_MUNICIPAL_PREFIXES = ("WK", "BU")  # kept for tables declared `wijken: true`
HISTORIC_LIST_FROM = 2010  # etl/reference/gemeenten_historisch.csv lists every code since 2010
# What users and the manifest call a source: never a filesystem path.
SOURCE_NAMES = {"snapshot": "offline snapshot", "live": "CBS OData"}
GEO_SOURCE_NAMES = {"snapshot": "offline snapshot", "live": "PDOK"}
LICENCE = "CBS open data, CC BY 4.0 (Bron: CBS)"
GEO_LICENCE = "CBS/PDOK gebiedsindelingen, CC BY 4.0 (Bron: CBS, PDOK)"


class BundleError(RuntimeError):
    """The bundle is missing, incomplete or does not match its manifest."""


# --- writing ------------------------------------------------------------------------------

def reduce_raw(raw: RawTable, spec: TableSpec) -> RawTable:
    """Only what the build uses: declared slices, our region types, declared measures."""
    from etl.stage import select_slices, stage_wide

    raw = conform(raw, spec)
    data = raw.data
    if spec.boundaries == "none":
        keep_cols = division_columns(stage_wide(raw, spec))
    else:
        rows, _, _ = select_slices(raw, spec)
        prefixes = REGION_PREFIXES + (SUB_MUNICIPAL_PREFIXES if spec.wijken else ())
        data = rows[rows["RegioS"].astype(str).str.strip().str[:2].isin(prefixes)]
        keep_cols = []
    dims = raw.dimension_keys
    keep = dims + [m for m in spec.measures if m in data.columns] + keep_cols
    keep = list(dict.fromkeys(keep))
    data = data[keep].reset_index(drop=True)
    props = raw.properties[raw.properties["Key"].isin(keep)].reset_index(drop=True)
    dimensions = {}
    for dim, codes in raw.dimensions.items():
        used = set(data[dim].astype(str))
        dimensions[dim] = codes[codes["Key"].astype(str).isin(used)].reset_index(drop=True)
    return RawTable(raw.table_id, data, props, raw.info, dimensions)


def division_columns(staged_wide: pd.DataFrame) -> list[str]:
    """The code/name columns of the provincie, COROP and arbeidsmarktregio divisions."""
    return [c for pair in find_division_columns(staged_wide).values() for c in pair if c]


def records(frame: pd.DataFrame) -> list[dict]:
    """JSON-safe records (NaN -> null), as cbsodata's JSON files hold them."""
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict("records")


def write_table(raw: RawTable, path: Path, spec: TableSpec | None = None) -> None:
    """One table as zstd Parquet; properties, table info and code lists in its metadata.
    A wijk table's region list (18,000 codes without names) is not repeated in the metadata:
    reading it back rebuilds it from the rows (etl.raw.conform)."""
    untitled = {d for d, f in raw.dimensions.items()
                if spec is not None and spec.wijken and d == "RegioS"
                and ("Title" not in f or f["Title"].isna().all())}
    meta = {
        "table_id": raw.table_id,
        "properties": records(raw.properties),
        "info": {k: v for k, v in raw.info.items() if k != "odata.metadata"},
        # Status: CBS's Voorlopig/Definitief per period (Perioden), where the source has it
        "dimensions": {d: records(f[[c for c in ("Key", "Title", "Status") if c in f
                                     and (c != "Status" or f[c].notna().any())]])
                       for d, f in raw.dimensions.items() if d not in untitled},
    }
    table = pa.Table.from_pandas(raw.data, preserve_index=False)
    schema_meta = dict(table.schema.metadata or {})
    schema_meta[META_KEY] = json.dumps(meta, ensure_ascii=False, default=str).encode()
    table = table.replace_schema_metadata(schema_meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", compression_level=19)


def period_status(raw: RawTable) -> dict:
    """{'period_status': {'2024JJ00': 'Voorlopig', ...}} where CBS sent a Status per period
    (live; `python -m etl check --live` reports Voorlopig -> Definitief from it), else {}."""
    periods = raw.dimensions.get("Perioden")
    if periods is None or "Status" not in periods or periods["Status"].isna().all():
        return {}
    return {"period_status": {str(k).strip(): s for k, s in zip(
        periods["Key"], periods["Status"], strict=True) if isinstance(s, str)}}


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def period_codes(raw: RawTable) -> list[str]:
    """Sorted distinct period codes of a table ([] for a classification table)."""
    if "Perioden" not in raw.data:
        return []
    return sorted(stripped(raw.data["Perioden"]).unique())


def gemeenten_with_data(raw: RawTable, spec: TableSpec) -> dict[int, set[str]]:
    """Per year, the gemeente codes with at least one declared measure filled in."""
    if "Perioden" not in raw.data:
        return {}
    measures = [m for m in spec.measures if m in raw.data]
    filled = raw.data[measures].notna().any(axis=1) if measures else True
    rows = raw.data.loc[filled, ["RegioS", "Perioden"]]
    # on the distinct codes and periods only: a table repeats a few hundred over its rows
    region, regions = pd.factorize(rows["RegioS"].astype(str), use_na_sentinel=False)
    codes = pd.Series(regions, dtype=str).str.strip()
    period, periods = pd.factorize(rows["Perioden"].astype(str), use_na_sentinel=False)
    years = pd.Series(periods, dtype=str).str[:4].astype(int).to_numpy()[period]
    gm = codes.str.startswith("GM").to_numpy(bool)[region]
    pairs = pd.DataFrame({"year": years[gm], "region": region[gm]}).drop_duplicates()
    names = codes.to_numpy(object)
    return {int(y): set(names[g]) for y, g in pairs.groupby("year")["region"]}


def year_ranges(years: Iterable[int]) -> str:
    """[2016, 2017, 2018, 2021] -> '2016-2018, 2021'."""
    years = sorted(set(years))
    parts, start = [], None
    for i, year in enumerate(years):
        start = year if start is None else start
        if i + 1 == len(years) or years[i + 1] != year + 1:
            parts.append(str(year) if start == year else f"{start}-{year}")
            start = None
    return ", ".join(parts)


def reference_gemeenten(coverage: dict[str, dict[int, set[str]]],
                        specs: dict[str, TableSpec]) -> dict[int, set[str]]:
    """The gemeenten of each year, from the data: those most tables on yearly boundaries
    with data for that year have (a merger shows up in every such table)."""
    votes: dict[int, Counter] = {}
    tables: Counter = Counter()
    for table_id, per_year in coverage.items():
        if specs[table_id].boundaries != "yearly":
            continue
        for year, codes in per_year.items():
            votes.setdefault(year, Counter()).update(codes)
            tables[year] += 1
    # A gemeente of year Y is one most tables with data for Y have (a few tables publish
    # later years' gemeenten back in time; one table alone cannot outvote the rest).
    union = {year: {c for c, k in counts.items() if 2 * k > tables[year]}
             for year, counts in votes.items()}
    # Some tables keep rows for a gemeente after it merged; the project's list of every code
    # since 2010 with its last year drops those (earlier years are taken as they come).
    hist = pd.read_csv(config.REFERENCE_DIR / "gemeenten_historisch.csv", dtype=str)
    last_year = dict(zip(hist["code"], hist["last_year"].astype(int), strict=False))
    first_listed = HISTORIC_LIST_FROM
    return {year: {c for c in codes if year < first_listed or last_year.get(c, 0) >= year}
            for year, codes in union.items()}


def find_gaps(per_year: dict[int, set[str]], expected: Callable[[int], set[str]],
              names: dict[str, str]) -> list[dict]:
    """One entry per gemeente missing in some years: code, name, years (as ranges)."""
    missing: dict[str, list[int]] = {}
    for year, codes in per_year.items():
        for code in expected(year) - codes:
            missing.setdefault(code, []).append(year)
    return [{"gemeente_code": code, "gemeente_name": names.get(code, code),
             "years": year_ranges(years)}
            for code, years in sorted(missing.items())]


def gaps_text(gaps: list[dict]) -> str:
    """'GM0193 Zwolle: 2007-2023; GM0642 Zwijndrecht: 2016-2023'."""
    return "; ".join(f"{g['gemeente_code']} {g['gemeente_name']}: {g['years']}" for g in gaps)


def gemeente_names(gebieden: RawTable | None) -> dict[str, str]:
    """Code -> name: the historic list kept by the project, then the 2024 division."""
    hist = pd.read_csv(config.REFERENCE_DIR / "gemeenten_historisch.csv", dtype=str)
    names = dict(zip(hist["code"], hist["name"], strict=False))
    if gebieden is not None:
        codes = gebieden.data["RegioS"].astype(str).str.strip()
        names.update(dict(zip(codes, gebieden.data["Naam_2"].astype(str).str.strip(),
                              strict=False)))
    return names


def table_gaps(tables: dict[str, RawTable], specs: dict[str, TableSpec]) -> dict[str, list]:
    """Per table, the gemeenten missing per year, derived by comparison, never listed by hand.

    Tables on 2024 boundaries are compared with the 342 gemeenten of 2024; tables on each
    year's own boundaries with the gemeenten most such tables have data for in that year.
    """
    gebieden = next((r for t, r in tables.items() if specs[t].boundaries == "none"), None)
    current = (set(gebieden.data["RegioS"].astype(str).str.strip()) if gebieden is not None
               else set())
    coverage = {t: gemeenten_with_data(r, specs[t]) for t, r in tables.items()}
    reference = reference_gemeenten(coverage, specs)
    names = gemeente_names(gebieden)
    gaps = {}
    for table_id, per_year in coverage.items():
        kind = specs[table_id].boundaries
        if kind == "none":
            continue
        if kind == "current":
            gaps[table_id] = find_gaps(per_year, lambda _y: current, names)
        else:
            gaps[table_id] = find_gaps(per_year, lambda y: reference.get(y, set()), names)
    return gaps


def table_entry(raw: RawTable, spec: TableSpec, path: Path, root: Path, source: str,
                taken_at: str) -> dict:
    """The manifest entry of one table (gaps are added once all tables are read)."""
    from etl.stage import select_slices

    absent = [] if spec.boundaries == "none" else select_slices(raw, spec)[2]
    return {
        "id": spec.id, "title": spec.title, "alias": spec.alias,
        "boundaries": spec.boundaries, "periods": period_codes(raw),
        "rows": len(raw.data), "measures": [m for m in spec.measures if m in raw.data],
        "declared_slices": [s.label for s in spec.slices], "absent_optional_slices": absent,
        "source": SOURCE_NAMES[source], "taken_at": taken_at,
        "cbs_modified": raw.modified, **period_status(raw),
        "file": path.relative_to(root).as_posix(), "sha256": sha256(path),
        "licence": LICENCE, "statline_url": spec.statline_url,
    }


def write_geometry(geo_source: str | Path, path: Path) -> dict:
    """The gemeente boundaries, read and repaired by the build's own reader, as GeoParquet."""
    from etl.geometry import read_gemeenten

    gemeenten = read_gemeenten(geo_source)
    frame = gemeenten.rename(columns={"gemeente_code": "statcode", "gemeente_name": "statnaam"})
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, compression="zstd", index=False)
    return {"rows": len(frame)}


def write_bundle(read: Callable[[TableSpec], RawTable], geo_source: str | Path, source: str,
                 out_dir: str | os.PathLike | None = None,
                 progress: Callable[[str, int, int], None] | None = None,
                 wijk_source: str | Path | None = None) -> dict:
    """Write the whole bundle into a temporary folder, then swap it in; return the manifest."""
    out = Path(out_dir) if out_dir else BUNDLE_DIR
    progress = progress or (lambda *_: None)
    taken_at = dt.date.today().isoformat()
    specs = {s.id: s for s in load_tables()}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".bundle-", dir=out.parent))
    try:
        tables, entries = {}, {}
        for i, spec in enumerate(specs.values(), 1):
            progress(f"bundle {spec.id}", i, len(specs))
            raw = reduce_raw(read(spec), spec)
            path = tmp / "cbs" / f"{spec.id}.parquet"
            write_table(raw, path, spec)
            tables[spec.id] = raw
            entries[spec.id] = table_entry(raw, spec, path, tmp, source, taken_at)
        for table_id, gaps in table_gaps(tables, specs).items():
            entries[table_id]["gaps"] = gaps
        geo_path = tmp / GEO_FILE
        geo = write_geometry(geo_source, geo_path)
        wijk_path = tmp / WIJK_GEO_FILE
        wijk_geo = write_wijk_boundaries(wijk_source or Path(geo_source).with_name(
            "wijk_2024.geojson"), wijk_path)
        manifest = {
            "format_version": FORMAT_VERSION, "taken_at": taken_at,
            "source": SOURCE_NAMES[source],
            "note": "Made by `python -m etl bundle` from the declared tables in etl/tables.yaml; "
                    "gaps: gemeenten without data per year, found by comparison with the 2024 "
                    "division (tables on 2024 boundaries) or with the gemeenten most tables on "
                    "each year's own boundaries have that year.",
            "tables": list(entries.values()),
            "boundaries": {"file": GEO_FILE, "rows": geo["rows"], "year": config.BOUNDARY_YEAR,
                           "source": GEO_SOURCE_NAMES[source], "taken_at": taken_at,
                           "sha256": sha256(geo_path), "licence": GEO_LICENCE},
            "wijk_boundaries": {"file": WIJK_GEO_FILE, "rows": wijk_geo["rows"],
                                "year": config.BOUNDARY_YEAR,
                                "source": GEO_SOURCE_NAMES["snapshot"], "taken_at": taken_at,
                                "sha256": sha256(wijk_path), "licence": GEO_LICENCE},
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
        swap_in(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def swap_in(new: Path, target: Path) -> None:
    """Replace the bundle folder; the old one survives until the new one is in place."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


# --- reading ------------------------------------------------------------------------------

def read_manifest(bundle_dir: str | os.PathLike | None = None) -> dict:
    """The bundle's manifest, or a BundleError saying how to make one."""
    root = Path(bundle_dir) if bundle_dir else BUNDLE_DIR
    path = root / MANIFEST
    if not path.is_file():
        raise BundleError("the data bundle is missing (data/bundle/manifest.json); restore it "
                          "with git, or make it: python -m etl bundle --snapshot DIR (or --live)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BundleError(f"the bundle's manifest.json is malformed: {exc}") from exc


def manifest_entry(manifest: dict, table_id: str) -> dict:
    """The manifest entry of one declared table."""
    for entry in manifest["tables"]:
        if entry["id"] == table_id:
            return entry
    raise BundleError(f"CBS table {table_id} is declared in etl/tables.yaml but not in the "
                      "bundle; refresh it: python -m etl bundle --snapshot DIR (or --live)")


def check_current(spec: TableSpec, entry: dict) -> None:
    """The bundle must hold every measure and slice tables.yaml declares for the table."""
    measures = [m for m in spec.measures if m not in entry["measures"]]
    stale = set(entry.get("declared_slices", [])) != {s.label for s in spec.slices}
    if measures or stale:
        what = f"measures {measures}" if measures else "other slices"
        raise BundleError(f"the bundle is older than etl/tables.yaml: CBS table {spec.id} now "
                          f"declares {what}; refresh it with `python -m etl bundle --snapshot "
                          "../shared` (or --live) and commit data/bundle/")


def read_bundle_table(spec: TableSpec, bundle_dir: str | os.PathLike | None = None,
                      manifest: dict | None = None) -> RawTable:
    """One bundled table as the RawTable a cbsodata download gives."""
    root = Path(bundle_dir) if bundle_dir else BUNDLE_DIR
    manifest = manifest or read_manifest(root)
    entry = manifest_entry(manifest, spec.id)
    check_current(spec, entry)
    path = root / entry["file"]
    if not path.is_file():
        raise RawTableError(spec.id, f"bundle file {entry['file']} is missing")
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise RawTableError(spec.id, f"bundle file {entry['file']} is unreadable: {exc}") from exc
    meta = json.loads(table.schema.metadata[META_KEY])
    data = table.to_pandas()
    dims = {d: pd.DataFrame(r, columns=["Key", "Title", *(["Status"] if r and "Status" in r[0]
                                                            else [])])
            for d, r in meta["dimensions"].items()}
    props = pd.DataFrame(meta["properties"])
    # conform() returns a table from the bundle as it is (stored conformed), Arrow rows kept
    return conform(RawTable(spec.id, data, props, meta["info"], dims, arrow=table), spec)


def bundle_geometry(bundle_dir: str | os.PathLike | None = None) -> Path:
    """The bundled gemeente boundaries file."""
    root = Path(bundle_dir) if bundle_dir else BUNDLE_DIR
    path = root / read_manifest(root)["boundaries"]["file"]
    if not path.is_file():
        raise BundleError(f"the bundle lacks its boundaries file {GEO_FILE}")
    return path


def verify_bundle(bundle_dir: str | os.PathLike | None = None) -> list[str]:
    """Problems found: files whose checksum or row count differs from the manifest."""
    root = Path(bundle_dir) if bundle_dir else BUNDLE_DIR
    manifest = read_manifest(root)
    problems = []
    items = [*manifest["tables"], manifest["boundaries"]]
    items += [manifest["wijk_boundaries"]] if "wijk_boundaries" in manifest else []
    for entry in items:
        path = root / entry["file"]
        if not path.is_file():
            problems.append(f"{entry['file']}: missing")
            continue
        if sha256(path) != entry["sha256"]:
            problems.append(f"{entry['file']}: checksum differs from the manifest")
        try:
            rows = pq.ParquetFile(path).metadata.num_rows
        except (OSError, pa.ArrowException) as exc:
            problems.append(f"{entry['file']}: unreadable Parquet ({exc})")
            continue
        if rows != entry["rows"]:
            problems.append(f"{entry['file']}: {rows} rows, manifest says {entry['rows']}")
    return problems


def bundle_size(bundle_dir: str | os.PathLike | None = None) -> int:
    """Bytes of all files in the bundle."""
    root = Path(bundle_dir) if bundle_dir else BUNDLE_DIR
    return int(np.sum([p.stat().st_size for p in root.rglob("*") if p.is_file()]))


def export_cbs_layout(root: str | os.PathLike, bundle_dir: str | os.PathLike | None = None) -> Path:
    """Write the bundle out in the layout cbsodata.download_data writes (cbs/<ID>/*.json) and
    the boundaries as geo/gemeente_2024.topojson (GeoJSON text, which GDAL reads by content)
    and geo/wijk_2024.geojson:
    a snapshot-shaped folder for testing the snapshot and live code paths without ../shared."""
    import geopandas as gpd

    root = Path(root)
    manifest = read_manifest(bundle_dir)
    for spec in load_tables():
        raw = read_bundle_table(spec, bundle_dir, manifest)
        folder = root / "cbs" / spec.id
        folder.mkdir(parents=True, exist_ok=True)
        rows = records(raw.data.assign(ID=range(len(raw.data)))[["ID", *raw.data.columns]])
        files = {"TypedDataSet.json": rows, "DataProperties.json": records(raw.properties),
                 "TableInfos.json": [raw.info],
                 **{f"{d}.json": records(f) for d, f in raw.dimensions.items()}}
        for name, payload in files.items():
            (folder / name).write_text(json.dumps(payload, ensure_ascii=False, default=str),
                                       encoding="utf-8")
    geo = gpd.read_parquet(bundle_geometry(bundle_dir))
    (root / "geo").mkdir(parents=True, exist_ok=True)
    (root / "geo" / "gemeente_2024.topojson").write_text(geo.to_json(), encoding="utf-8")
    wijken = gpd.read_parquet(Path(bundle_dir or BUNDLE_DIR) / WIJK_GEO_FILE)
    (root / "geo" / "wijk_2024.geojson").write_text(wijken.to_json(), encoding="utf-8")
    return root
