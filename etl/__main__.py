"""Command line: `python -m etl build [--snapshot DIR] [--out FILE]`."""

from __future__ import annotations

import argparse
import logging
import sys

from tqdm import tqdm

from etl import config


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line of the ETL."""
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build data/warehouse.duckdb from CBS (or a snapshot)")
    build.add_argument("--snapshot", metavar="DIR",
                       help=f"offline snapshot holding cbs/<TABLE_ID>/ and geo/ "
                            f"(default: ${config.SNAPSHOT_ENV}; without either: fetch live)")
    build.add_argument("--out", metavar="FILE",
                       help=f"warehouse file (default: ${config.WAREHOUSE_ENV} or "
                            f"{config.WAREHOUSE_PATH.relative_to(config.REPO_DIR)})")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def run_build(args: argparse.Namespace) -> int:
    """Build with a progress bar per step; print a summary or a clear error."""
    from etl.build import BuildError, build_warehouse

    bars: dict = {}

    def progress(label: str, i: int, n: int) -> None:
        if args.quiet:
            return
        phase, _, item = label.partition(" ")
        if phase not in bars:
            for old in bars.values():
                old.close()
            bars[phase] = tqdm(total=n, desc=phase, unit="table" if item else "step")
        bar = bars[phase]
        bar.set_postfix_str(item)
        bar.update(i - bar.n)

    try:
        report = build_warehouse(args.snapshot, args.out, progress=progress)
    except BuildError as exc:
        print(f"build failed: {exc}\nThe previous warehouse (if any) is untouched.",
              file=sys.stderr)
        return 1
    finally:
        for bar in bars.values():
            bar.close()
    print(report.summary())
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    args = parse_args(sys.argv[1:] if argv is None else argv)
    return run_build(args)


if __name__ == "__main__":
    sys.exit(main())
