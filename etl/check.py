"""`python -m etl check --live`: what changed at CBS since the bundle, without building.

For each declared table it asks CBS for metadata only (TableInfos, Perioden, DataProperties and
the code lists of the declared slices: a few small requests, no data) and compares them with
the bundle's manifest: new and withdrawn periods, CBS's `Modified`, declared measures that are
missing (with the keys that look like their new names), declared slice categories that are
missing, and periods that went from Voorlopig to Definitief. Exit status 1 when a refresh
would fail (something declared is missing, or a period was withdrawn), else 0.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

from etl import bundle
from etl.catalog import TableSpec, load_tables
from etl.extract import CBS_TIMEOUT_S, ExtractError, catalog_kwargs, with_retries


@dataclass
class TableChange:
    """What differs between CBS now and the bundle for one table."""

    table_id: str
    modified: tuple[str | None, str | None] = (None, None)  # bundle, CBS
    new_periods: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    now_final: list[str] = field(default_factory=list)  # Voorlopig in the bundle, Definitief now
    missing: list[str] = field(default_factory=list)  # measures or slice categories

    @property
    def breaks_refresh(self) -> bool:
        return bool(self.withdrawn or self.missing)

    @property
    def changed(self) -> bool:
        return bool(self.breaks_refresh or self.new_periods or self.now_final
                    or (self.modified[1] and self.modified[0] != self.modified[1]))


def meta(cbs, table_id: str, name: str) -> list[dict]:
    """One metadata resource of a table, with the extract's timeout and retries."""
    return with_retries(lambda: cbs.get_meta(table_id, name, timeout=CBS_TIMEOUT_S,
                                             **catalog_kwargs()), f"{table_id} {name}")


def suffix(key: str) -> str:
    """CBS measure keys end in their position ('Werkloosheidspercentage_13' -> '13')."""
    match = re.search(r"_(\d+)$", key)
    return match.group(1) if match else ""


def compare_table(cbs, spec: TableSpec, entry: dict | None) -> TableChange:
    """Ask CBS about one table and compare with its manifest entry."""
    entry = entry or {}
    change = TableChange(spec.id)
    info = meta(cbs, spec.id, "TableInfos")
    change.modified = (entry.get("cbs_modified"), (info[0] if info else {}).get("Modified"))
    props = meta(cbs, spec.id, "DataProperties")
    topics = {p["Key"] for p in props if p.get("Type") == "Topic"}
    dims = {p["Key"] for p in props if p.get("Type") in ("Dimension", "GeoDimension",
                                                          "TimeDimension", "GeoDetail")}
    for key in spec.measures:
        if key not in topics:
            alike = sorted(k for k in topics - set(spec.measures) if suffix(k) == suffix(key))
            change.missing.append(f"measure {key}" + (f" (renamed to {', '.join(alike)}?)"
                                                      if alike else ""))
    for dim in sorted({d for s in spec.slices for d, _ in s.titles}):
        if dim not in dims:
            change.missing.append(f"dimension {dim}")
            continue
        titles = {c.get("Title") for c in meta(cbs, spec.id, dim)}
        for slc in spec.slices:
            wanted = dict(slc.titles).get(dim)
            if wanted is not None and wanted not in titles and not slc.optional:
                change.missing.append(f"{dim} category '{wanted}'")
    if "Perioden" in dims:
        periods = {c["Key"].strip(): c.get("Status") for c in meta(cbs, spec.id, "Perioden")}
        before = set(entry.get("periods", []))
        change.new_periods = sorted(set(periods) - before)
        change.withdrawn = sorted(before - set(periods))
        status = entry.get("period_status", {})
        change.now_final = sorted(p for p, s in periods.items()
                                  if status.get(p) == "Voorlopig" and s == "Definitief")
    return change


def short(items: list[str], most: int = 4) -> str:
    """'a, b, c, d (+3)' or '-'."""
    if not items:
        return "-"
    more = f" (+{len(items) - most})" if len(items) > most else ""
    return ", ".join(items[:most]) + more


def render(changes: list[TableChange]) -> str:
    """The short table the operator reads."""
    lines = ["| table | Modified: bundle -> CBS | new periods | withdrawn | now Definitief "
             "| missing |", "| --- | --- | --- | --- | --- | --- |"]
    for c in changes:
        if not c.changed:
            continue
        before, now = c.modified
        modified = "-" if before == now or not now else f"{before or 'unknown'} -> {now}"
        lines.append(f"| {c.table_id} | {modified} | {short(c.new_periods)} | "
                     f"{short(c.withdrawn)} | {short(c.now_final)} | {short(c.missing, 3)} |")
    unchanged = sum(1 for c in changes if not c.changed)
    if len(lines) == 2:
        return f"All {len(changes)} tables as in the bundle."
    return "\n".join(lines) + f"\nUnchanged: {unchanged} of {len(changes)} tables."


def run_check(bundle_dir=None, cbsodata_module=None, out=None) -> int:
    """Compare CBS now with the bundle; print the table; 1 when a refresh would fail."""
    import cbsodata

    out = out or sys.stdout
    cbs = cbsodata_module or cbsodata
    try:
        manifest = bundle.read_manifest(bundle_dir)
    except bundle.BundleError as exc:
        print(f"check failed: {exc}", file=sys.stderr)
        return 2
    entries = {e["id"]: e for e in manifest.get("tables", [])}
    changes = []
    for spec in load_tables():
        try:
            changes.append(compare_table(cbs, spec, entries.get(spec.id)))
        except ExtractError as exc:
            print(f"check failed: CBS did not answer for table {spec.id}: {exc}",
                  file=sys.stderr)
            return 2
    print(render(changes), file=out)
    broken = [c.table_id for c in changes if c.breaks_refresh]
    if broken:
        print(f"A refresh would fail on {', '.join(broken)} (missing or withdrawn above): "
              "update etl/tables.yaml, or refresh with --allow-withdrawn if CBS really "
              "withdrew a period.", file=out)
        return 1
    return 0
