"""Names as people paste them: invisible format characters (a right-to-left override, a
zero-width space) and full-width forms are cleaned before matching, not reported unknown."""

from __future__ import annotations

from monitor import member_list

GEMEENTEN = {"GM0363": "Amsterdam", "GM0344": "Utrecht (gemeente)",
             "GM0014": "Groningen (gemeente)"}


def resolve(entry: str) -> list[str]:
    return member_list.resolve_entry(entry, GEMEENTEN, member_list.name_index(GEMEENTEN))


def test_invisible_characters_are_cleaned_from_names_and_codes():
    assert resolve("\u202eAmsterdam") == ["GM0363"]
    assert resolve("Utr\u200becht") == ["GM0344"]
    assert resolve("\ufeffGroningen") == ["GM0014"]
    assert resolve("GM\u200b0363") == ["GM0363"]
    checked = member_list.check_custom("GM0363\u200b,\u202eGM0344", set(GEMEENTEN))
    assert checked["codes"] == ("GM0363", "GM0344") and not checked["unknown"]


def test_full_width_names_and_codes_are_matched():
    assert resolve("Ａｍｓｔｅｒｄａｍ") == ["GM0363"]
    assert resolve("ＧＭ０３６３") == ["GM0363"]


def test_what_is_unknown_stays_unknown():
    assert resolve("Atlantis\u200b") == []
    assert member_list.visible("a\u202eb\u200bc") == "abc"
