"""UI texts: every key the code uses exists in both languages with the same placeholders, no
key is left unused, and a missing key fails loudly under the tests."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from monitor import i18n, narrative, peers

REPO = Path(__file__).resolve().parent.parent
CODE = [*REPO.glob("monitor/*.py"), *REPO.glob("pages/*.py"), REPO / "app.py"]
# t("key"), tr("key", lang), t(f"prefix_{x}"), t("prefix_" + x)
CALL = re.compile(r"""\b(?:t|tr)\(\s*(f?)(["'])([^"'\n]*)\2(\s*\+)?""")
TABLES = {"i18n": i18n.TEXTS, "peers": peers.TEXTS, "narrative": narrative.TEXTS}


def used_keys() -> tuple[set[str], set[str]]:
    """Keys used literally, and the prefixes of keys built at run time."""
    literal, prefixes = set(), set()
    for path in CODE:
        for m in CALL.finditer(path.read_text(encoding="utf-8")):
            is_f, key, plus = m.group(1), m.group(3), m.group(4)
            if is_f and "{" in key:
                prefixes.add(key.split("{")[0])
            elif plus:
                prefixes.add(key)
            else:
                literal.add(key)
    return literal, prefixes


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_scanner_finds_the_forms_of_use():
    sample = 't("a_key") tr("b_key", lang) t(f"c_{x}") t("d_" + x) tr(f"e_{k}", lang)'
    found = [(m.group(1), m.group(3), bool(m.group(4))) for m in CALL.finditer(sample)]
    assert found == [("", "a_key", False), ("", "b_key", False), ("f", "c_{x}", False),
                     ("", "d_", True), ("f", "e_{k}", False)]


def test_every_used_key_exists():
    literal, prefixes = used_keys()
    assert len(literal) > 200
    assert not sorted(k for k in literal if k not in i18n.TEXTS)
    assert not sorted(p for p in prefixes if not any(k.startswith(p) for k in i18n.TEXTS))


def test_no_key_is_left_unused():
    """A key no code names (literally, or by a prefix built at run time) is dead."""
    literal, prefixes = used_keys()
    code = "\n".join(p.read_text(encoding="utf-8") for p in CODE if p.name != "i18n.py")
    dead = [k for k in i18n.TEXTS if k not in literal
            and not any(k.startswith(p) for p in prefixes if p)
            and f'"{k}"' not in code and f"'{k}'" not in code]
    assert not dead, f"unused texts (remove them from monitor/i18n.py): {dead}"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_both_languages_with_the_same_placeholders(table):
    problems = []
    for key, entry in TABLES[table].items():
        if set(entry) != set(i18n.LANGS) or not all(entry.values()):
            problems.append(f"{key}: languages {sorted(entry)}")
        elif placeholders(entry["nl"]) != placeholders(entry["en"]):
            problems.append(f"{key}: {placeholders(entry['nl'])} != {placeholders(entry['en'])}")
    assert not problems, "\n".join(problems)


def test_placeholder_check_can_fail():
    assert placeholders("Gebouwd {built}.") != placeholders("Built {made}.")
    assert placeholders("{coverage:.0%} van {n}") == {"coverage", "n"}


def test_missing_key_fails_loudly_in_tests(monkeypatch):
    with pytest.raises(i18n.MissingText):
        i18n.tr("no_such_key", "nl")
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    monkeypatch.delenv("REM_STRICT_TEXTS", raising=False)
    assert i18n.tr("no_such_key", "nl") == "no_such_key"  # users see the key, not a crash
    assert i18n.tr("netherlands", "en") == "Netherlands"
