"""Command line: `python -m etl build [--snapshot DIR | --live [--write-bundle]] [--out FILE]`,
`python -m etl bundle (--snapshot DIR | --live)`, `python -m etl check --live` and
`python -m etl docs [--check]`."""

from __future__ import annotations

import argparse
import logging
import sys

from etl import config


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line of the ETL."""
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build data/warehouse.duckdb (default: from the bundle "
                                         "in data/bundle/, offline)")
    source = build.add_mutually_exclusive_group()
    source.add_argument("--snapshot", metavar="DIR",
                        help=f"offline snapshot holding cbs/<TABLE_ID>/ and geo/ "
                             f"(or ${config.SNAPSHOT_ENV})")
    source.add_argument("--live", action="store_true",
                        help="fetch the tables from CBS and the boundaries from PDOK")
    build.add_argument("--write-bundle", action="store_true",
                       help="with --live or --snapshot: also refresh data/bundle/ from what "
                            "was fetched")
    build.add_argument("--out", metavar="FILE",
                       help=f"warehouse file (default: ${config.WAREHOUSE_ENV} or "
                            f"{config.WAREHOUSE_PATH.relative_to(config.REPO_DIR)})")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.add_argument("--restart", action="store_true",
                       help="with --live: fetch every table again instead of resuming a "
                            "refresh that broke off")
    build.add_argument("--allow-withdrawn", action="store_true",
                       help="with --live: accept that CBS no longer sends a period or region "
                            "the bundle has (recorded as a warning)")
    check = sub.add_parser("check", help="ask CBS for each table's metadata only and report "
                                         "what changed since the bundle, without building")
    check.add_argument("--live", action="store_true", required=True,
                       help="ask CBS (the only source there is to check against)")
    bundle = sub.add_parser("bundle", help="write the data bundle data/bundle/ from a snapshot "
                                           "or live CBS/PDOK")
    bsource = bundle.add_mutually_exclusive_group(required=True)
    bsource.add_argument("--snapshot", metavar="DIR", help="offline snapshot folder")
    bsource.add_argument("--live", action="store_true", help="fetch from CBS and PDOK")
    bundle.add_argument("--out", metavar="DIR", help="bundle folder (default: data/bundle)")
    bundle.add_argument("--quiet", action="store_true", help="no progress bar")
    docs = sub.add_parser("docs", help="regenerate the table reference in docs/warehouse.md "
                                       "from etl/schema.py")
    docs.add_argument("--check", action="store_true",
                      help="only say whether the doc is up to date (exit 1 if not)")
    return parser.parse_args(argv)


def make_progress(quiet: bool):
    """A progress callback drawing one tqdm bar per phase, and a function closing them."""
    bars: dict = {}

    def progress(label: str, i: int, n: int) -> None:
        if quiet:
            return
        phase, _, item = label.partition(" ")
        if phase not in bars:
            from tqdm import tqdm  # only when bars are drawn (not with --quiet)

            for old in bars.values():
                old.close()
            bars[phase] = tqdm(total=n, desc=phase, unit="table" if item else "step")
        bar = bars[phase]
        bar.set_postfix_str(item)
        bar.update(i - bar.n)

    def close() -> None:
        for bar in bars.values():
            bar.close()

    return progress, close


def run_build(args: argparse.Namespace) -> int:
    """Build with a progress bar per step; print a short summary or a clear error."""
    from etl.build import BuildError, build_warehouse

    if args.write_bundle and not (args.live or args.snapshot):
        print("--write-bundle needs --live or --snapshot DIR: the bundle is refreshed from "
              "what that build fetched", file=sys.stderr)
        return 2
    progress, close = make_progress(args.quiet)
    try:
        report = build_warehouse(args.snapshot, args.out, progress=progress, live=args.live,
                                 write_bundle=args.write_bundle, resume=not args.restart,
                                 allow_withdrawn=args.allow_withdrawn)
    except BuildError as exc:
        close()
        kept = " and the bundle are" if args.write_bundle else " is"
        print(f"build failed: {exc}\nThe previous warehouse (if any){kept} untouched.",
              file=sys.stderr)
        return 1
    except OSError as exc:  # a read-only or full data folder: what, where, and what to do
        close()
        where = exc.filename or args.out or "data/"
        print(f"build failed: cannot write {where}: {exc.strerror or exc}.\nThe data folder "
              "must be writable (the build writes the warehouse and its raw cache there): "
              "make it writable, or build elsewhere with --out /a/writable/warehouse.duckdb "
              "and point REM_WAREHOUSE at it. The previous warehouse (if any) is untouched.",
              file=sys.stderr)
        return 1
    finally:
        close()
    print(report.summary())
    if args.write_bundle:
        print("Bundle refreshed in data/bundle/: review `git diff data/bundle/manifest.json`.")
    return 0


def run_bundle(args: argparse.Namespace) -> int:
    """Write the bundle from a snapshot folder (read in place) or from CBS/PDOK live."""
    from pathlib import Path

    from etl.build import (
        BuildError,
        Source,
        extract_all,
        finish_journal,
        resolve_source,
        write_bundle_from,
    )
    from etl.bundle import BundleError, bundle_size
    from etl.catalog import load_tables

    progress, close = make_progress(args.quiet)
    try:
        source = resolve_source(args.snapshot, args.live, None, None)
        if source.kind == "snapshot":
            source = Source("snapshot", snapshot=source.snapshot,
                            raw_dir=Path(source.snapshot) / "cbs")
        else:
            extract_all(load_tables(), source.raw_dir, None, progress)
        manifest = write_bundle_from(source, args.out, progress)
        if source.kind == "live":
            finish_journal(source.raw_dir)  # complete: the next refresh starts afresh
    except (BuildError, BundleError, ValueError, OSError) as exc:
        print(f"bundle failed: {exc}\nThe previous bundle (if any) is untouched.",
              file=sys.stderr)
        return 1
    finally:
        close()
    rows = sum(t["rows"] for t in manifest["tables"])
    gaps = sum(len(t.get("gaps", [])) for t in manifest["tables"])
    print(f"Bundle written: {len(manifest['tables'])} tables, {rows:,} rows, "
          f"{bundle_size(args.out) / 1e6:.1f} MB, {gaps} gemeente gaps listed in manifest.json.")
    return 0


def run_docs(args: argparse.Namespace) -> int:
    """docs/warehouse.md's table reference from etl/schema.py (the datasette pattern)."""
    from etl import schema

    text = schema.DOC.read_text(encoding="utf-8")
    if args.check:
        stale = schema.render_doc(text) != text
        print("docs/warehouse.md is out of date: run python -m etl docs" if stale
              else "docs/warehouse.md is up to date")
        return 1 if stale else 0
    print("docs/warehouse.md " + ("rewritten" if schema.write_doc() else "already up to date"))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "docs":
        return run_docs(args)
    if args.command == "check":
        from etl.check import run_check

        return run_check()
    return run_bundle(args) if args.command == "bundle" else run_build(args)


if __name__ == "__main__":
    sys.exit(main())
