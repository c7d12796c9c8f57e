"""Release B: a TEST FIXTURE made from the shipped bundle, with invented values.

It is never shown as CBS data: it lives in a test's temporary folder only, its manifest says
what it is, and the values below are made up to have known differences from release A (the
bundle as shipped):

- REVISED: Werkloosheidspercentage_13 of 86088NED raised by exactly 2.0 points in three
  gemeente cells (REVISED_CELLS);
- NEW YEAR: 86088NED gets a year 2025 (a copy of 2024 with every measure +1, invented);
- STATUS: 86088NED's periods carry CBS's Perioden status as a live answer does: 2024
  Definitief (the bundle, like the snapshot, does not say: unknown in A), 2025 Voorlopig;
- RESTATED MERGER: in 85644NED (population, on each year's own boundaries) the 2022 rows of
  Brielle, Hellevoetsluis and Westvoorne are replaced by one row for their 2023 successor
  Voorne aan Zee (GM1992) holding their sum, as if CBS had restated 2022 on today's
  boundaries: the same number, no longer converted from predecessors.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.bundle import BUNDLE_DIR, META_KEY, sha256

LABEL = "TEST FIXTURE: invented values derived from the bundle; not CBS data"
REVISED_CELLS = (("GM0363", 2023), ("GM0599", 2022), ("GM0014", 2024))
REVISION = 2.0
NEW_YEAR = 2025
MERGED = ("GM0501", "GM0530", "GM0614")
SUCCESSOR = "GM1992"
RESTATED_YEAR = 2022
STATUS = {f"{NEW_YEAR - 1}JJ00": "Definitief", f"{NEW_YEAR}JJ00": "Voorlopig"}


def _rewrite(root: Path, table_id: str, change) -> None:
    """Read a bundled table, change its rows and code lists, write it back, fix the manifest."""
    manifest_path = root / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    entry = next(e for e in manifest["tables"] if e["id"] == table_id)
    path = root / entry["file"]
    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[META_KEY])
    data = change(table.to_pandas(), meta)
    meta["info"] = {**meta["info"], "Title": f"{meta['info'].get('Title', '')} [{LABEL}]"}
    out = pa.Table.from_pandas(data, preserve_index=False)
    out = out.replace_schema_metadata({**(out.schema.metadata or {}),
                                       META_KEY: json.dumps(meta, ensure_ascii=False,
                                                            default=str).encode()})
    pq.write_table(out, path, compression="zstd")
    entry["sha256"] = sha256(path)
    entry["rows"] = len(data)
    entry["periods"] = sorted(data["Perioden"].astype(str).str.strip().unique())
    entry["source"] = LABEL
    manifest["source"] = LABEL
    manifest["note"] = LABEL
    manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False),
                             encoding="utf-8")


def _labour(data: pd.DataFrame, meta: dict) -> pd.DataFrame:
    region = data["RegioS"].astype(str).str.strip()
    year = data["Perioden"].astype(str).str[:4].astype(int)
    for code, y in REVISED_CELLS:
        hit = (region == code) & (year == y)
        assert hit.sum() >= 1, (code, y)
        data.loc[hit, "Werkloosheidspercentage_13"] += REVISION
    new = data[year == NEW_YEAR - 1].copy()
    new["Perioden"] = f"{NEW_YEAR}JJ00"
    measures = [c for c in data.columns if c not in ("Persoonskenmerken", "RegioS", "Perioden")]
    new[measures] = new[measures] + 1
    periods = meta["dimensions"]["Perioden"]
    periods.append({"Key": f"{NEW_YEAR}JJ00", "Title": str(NEW_YEAR)})
    for period in periods:
        period["Status"] = STATUS.get(period["Key"])
    return pd.concat([data, new], ignore_index=True)


def _population(data: pd.DataFrame, meta: dict) -> pd.DataFrame:
    region = data["RegioS"].astype(str).str.strip()
    year = data["Perioden"].astype(str).str[:4].astype(int)
    old = region.isin(MERGED) & (year == RESTATED_YEAR)
    total = data.loc[old, "Bevolking_1"].sum()
    assert old.sum() == len(MERGED) and total > 0
    successor = (region == SUCCESSOR) & (year == RESTATED_YEAR)
    assert successor.sum() == 1
    data.loc[successor, "Bevolking_1"] = total
    data.loc[old, "Bevolking_1"] = float("nan")
    return data


def make_bundle_b(root: Path) -> Path:
    """The fixture bundle B in root (a copy of the shipped bundle, changed as said above)."""
    shutil.copytree(BUNDLE_DIR, root)
    _rewrite(root, "86088NED", _labour)
    _rewrite(root, "85644NED", _population)
    return root
