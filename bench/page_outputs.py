"""Every page's AppTest output as text, to compare two versions of the code on one warehouse.

    python bench/page_outputs.py CHECKOUT WAREHOUSE OUT.json

runs app.py of CHECKOUT (any commit: it only needs app.py and pages/) against WAREHOUSE for a
fixed set of pages and links (stored and composed regions, both languages) and writes what
each run shows: titles, texts, captions, notices, metrics, table cells, chart data, download
labels. Two files from two checkouts are equal when a refactor changed nothing a user sees:
`python bench/page_outputs.py --diff A.json B.json` lists the differences.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
from pathlib import Path

COMPOSED = {"custom": "GM0654,GM0664,GM0677", "custom_name": "Mijn regio"}
CASES = [
    ("overzicht", {}),
    ("overzicht", {"region": "CUSTOM", **COMPOSED}),
    ("overzicht", {"region": "GM0363", "lang": "en"}),
    ("kaart", {}),
    ("kaart", {"level": "proeftuin", "indicator": "hbo_wo_pct", "lang": "en"}),
    ("regioprofiel", {"region": "PR_zeeland"}),
    ("regioprofiel", {"region": "CUSTOM", **COMPOSED}),
    ("regioprofiel", {"region": "NL01", "lang": "en"}),
    ("eigen_regio", COMPOSED),
    ("eigen_regio", {"custom": "GM0654,XX99,GM0654", "custom_name": "<b>x</b>"}),
    ("vergelijken", {}),
    ("vergelijken", {"regions": "CUSTOM,PR_zeeland,GM0344", **COMPOSED}),
    ("trends", {}),
    ("trends", {"regions": "CUSTOM,NL01", "mode": "index", "base": "2015", **COMPOSED}),
    ("export", {"regions": "CUSTOM,GM0363", "indicators": "werkloosheid_pct,bevolking",
                "levels": "provincie", **COMPOSED}),
    ("over_de_data", {}),
    ("overzicht", {"region": "NOPE", "year": "x"}),
]


def element_text(element) -> object:
    """What a user sees of one element (tables as their cells, charts as their data)."""
    kind = type(element).__name__
    if kind == "Dataframe":
        return element.value.astype(str).to_dict(orient="split")
    if kind == "PlotlyChart":
        figure = json.loads(element.proto.spec)
        return [{k: t.get(k) for k in ("name", "x", "y", "z", "locations", "r", "theta", "text")
                 if k in t} for t in figure.get("data", [])]
    for attribute in ("value", "label", "body"):
        value = getattr(element, attribute, None)
        if value is not None and not callable(value):
            return str(value)
    proto = getattr(element, "proto", None)
    return str(getattr(proto, "label", "")) or kind


def run_case(app: Path, page: str, params: dict) -> list:
    """One page run: (element kind, text) in page order, or the exception."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(app), default_timeout=180)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"pages/{page}.py")
    at.run()
    if at.exception:
        return [["exception", [e.value for e in at.exception]]]
    out = []
    for element in at.main:
        out.extend(walk(element))
    out.extend([["sidebar", walk_text(e)] for e in at.sidebar])
    return out


def walk(node) -> list:
    children = getattr(node, "children", None)
    if children:
        return [item for child in children.values() for item in walk(child)]
    return [[type(node).__name__, element_text(node)]]


def walk_text(node) -> object:
    return walk(node)


def capture(checkout: Path, warehouse: Path) -> dict:
    """Every case's output, run in this process from `checkout`."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import script_runner

    def run_app_script(main_script_path) -> None:  # as tests/conftest.py: every run via app.py
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(main_script_path), run_name="__main__")

    script_runner._mpa_v1 = run_app_script
    os.environ["REM_WAREHOUSE"] = str(warehouse)
    sys.path.insert(0, str(checkout))
    os.chdir(checkout)
    return {f"{page} {json.dumps(params, sort_keys=True)}": run_case(checkout / "app.py", page,
                                                                       params)
            for page, params in CASES}


def diff(a: dict, b: dict) -> list[str]:
    """Where two captures differ (case, then first differing element)."""
    lines = []
    for case in sorted(set(a) | set(b)):
        left, right = a.get(case), b.get(case)
        if left == right:
            continue
        if left is None or right is None:
            lines.append(f"{case}: only in one capture")
            continue
        for i, (x, y) in enumerate(zip(left, right, strict=False)):
            if x != y:
                lines.append(f"{case}: element {i}: {str(x)[:300]} != {str(y)[:300]}")
                break
        else:
            lines.append(f"{case}: {len(left)} != {len(right)} elements")
    return lines


def main(argv: list[str]) -> int:
    if argv[:1] == ["--diff"]:
        a, b = (json.loads(Path(p).read_text(encoding="utf-8")) for p in argv[1:3])
        lines = diff(a, b)
        print("\n".join(lines) or f"identical: {len(a)} page runs")
        return 1 if lines else 0
    checkout, warehouse, out = Path(argv[0]).resolve(), Path(argv[1]).resolve(), Path(argv[2])
    result = capture(checkout, warehouse)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str),
                   encoding="utf-8")
    print(f"{len(result)} page runs -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
