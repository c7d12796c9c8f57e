"""Eigen regio: composing a region in the URL (AppTest) and parsing uploaded lists (pure)."""

from __future__ import annotations

import pytest

from monitor.member_list import MAX_UPLOAD_BYTES, check_custom, parse_region_csv

PAGE = "pages/eigen_regio.py"

GEMEENTEN = {
    "GM0363": "Amsterdam", "GM0373": "Bergen (NH.)", "GM0893": "Bergen (L.)",
    "GM0164": "Hengelo (O.)", "GM0820": "Nuenen, Gerwen en Nederwetten",
    "GM1900": "Súdwest-Fryslân", "GM0518": "'s-Gravenhage", "GM0362": "Amstelveen",
}


def messages(at, kind: str) -> str:
    """All texts of one kind of message element (error, warning, info, success)."""
    return " | ".join(el.value for el in getattr(at, kind))


# --- the page ---------------------------------------------------------------------------------

def test_empty_region_says_so(run_page):
    at = run_page(PAGE)
    assert not at.exception
    assert "Nog geen gemeenten" in messages(at, "info")
    assert "custom" not in at.query_params
    assert not [b for b in at.button if "Regioprofiel" in b.label]


def test_adding_and_removing_members_updates_url(run_page):
    at = run_page(PAGE)
    at.multiselect(key="compose_members").select("GM0363").select("GM0362").run()
    assert not at.exception
    assert at.query_params["custom"] == "GM0363,GM0362"
    at.multiselect(key="compose_members").unselect("GM0363").run()
    assert at.query_params["custom"] == "GM0362"
    assert any("gemeenten: 1 ·" in m.value for m in at.markdown)
    clear = next(b for b in at.button if b.label == "Alles wissen")
    clear.click().run()
    assert "custom" not in at.query_params
    assert "Nog geen gemeenten" in messages(at, "info")


def test_start_from_pilot_region(run_page, warehouse):
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        zeeland = {c for (c,) in con.execute("select gemeente_code from region_membership "
                                             "where region_code = 'PR_zeeland'").fetchall()}
    at = run_page(PAGE)
    at.selectbox(key="compose_start").select("PR_zeeland").run()
    next(b for b in at.button if b.label == "Vervang de leden").click().run()
    assert not at.exception
    assert set(at.query_params["custom"].split(",")) == zeeland
    assert at.query_params["custom_name"] == "Zeeland"
    assert at.text_input(key="compose_name").value == "Zeeland"
    assert set(at.multiselect(key="compose_members").value) == zeeland


def test_unknown_and_duplicate_codes_are_refused_and_listed(run_page):
    at = run_page(PAGE, custom="GM0363,gm0363,GM9999,XX<b>1</b>", custom_name="Test")
    assert not at.exception
    errors = messages(at, "error")
    assert "GM9999" in errors and "XXb1/b" in errors and "<b>" not in errors
    assert "GM0363" in messages(at, "warning")  # the duplicate, removed
    assert at.query_params["custom"] == "GM0363"  # the link now holds the clean region
    assert at.multiselect(key="compose_members").value == ["GM0363"]


def test_only_unknown_codes_is_an_empty_region(run_page):
    at = run_page(PAGE, custom="GM9999,,")
    assert not at.exception
    assert "GM9999" in messages(at, "error")
    assert "Nog geen gemeenten" in messages(at, "info")


def test_markup_name_is_cleaned_with_notice(run_page):
    at = run_page(PAGE, custom="GM0363", custom_name="<script>x</script> **Regio** [a](b)")
    assert not at.exception
    assert "opgeschoond" in messages(at, "info")
    name = at.query_params["custom_name"]
    assert name == "x Regio a(b)"  # tags, markdown marks and brackets gone, words kept
    assert not set(name) & set("<>*[]")
    at.text_input(key="compose_name").input("<i>Mijn</i> www.regio.nl").run()
    assert at.query_params["custom_name"] == "Mijn www regio.nl"
    assert "opgeschoond" in messages(at, "info")


def test_all_342_gemeenten_are_fine(run_page, warehouse):
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        codes = [c for (c,) in con.execute("select region_code from region "
                                           "where region_level = 'gemeente'").fetchall()]
    assert len(codes) == 342
    at = run_page(PAGE, custom=",".join(codes), custom_name="Heel Nederland")
    assert not at.exception
    assert not at.error
    assert len(at.multiselect(key="compose_members").value) == 342
    profile = run_page("pages/regioprofiel.py", region="CUSTOM", custom=",".join(codes))
    assert not profile.exception
    assert [m.value for m in profile.metric][1] == "342"


def test_open_in_profile(run_page):
    at = run_page(PAGE, custom="GM0363,GM0362", custom_name="Amstel")
    next(b for b in at.button if b.label == "Open in Regioprofiel").click().run()
    assert not at.exception
    assert at.title[0].value == "Amstel"
    assert at.query_params["region"] == "CUSTOM"


def test_check_custom_splits_unknown_and_duplicates():
    result = check_custom(" GM0363, gm0362,GM0363,,GM9999, <x> ", set(GEMEENTEN))
    assert result == {"codes": ("GM0363", "GM0362"), "unknown": ["GM9999", "x"],
                      "duplicates": ["GM0363"]}


# --- uploaded lists (pure) --------------------------------------------------------------------

def test_upload_codes_and_names():
    data = ("gemeente\nAmsterdam\nGM0362\n0363\nHengelo\nsudwest-fryslan\n"
            "Nuenen, Gerwen en Nederwetten\n’s-Gravenhage\nBERGEN (NH.)\n").encode()
    result = parse_region_csv(data, GEMEENTEN)
    assert result["error"] is None
    assert result["codes"] == ("GM0363", "GM0362", "GM0164", "GM1900", "GM0820", "GM0518",
                               "GM0373")
    assert result["duplicates"] == ["0363"]
    assert not result["unknown"] and not result["ambiguous"]


def test_upload_ambiguous_and_unknown_names():
    result = parse_region_csv(b"Bergen\nAtlantis\nGM9999\nAmsterdam\n", GEMEENTEN)
    assert result["ambiguous"] == {"Bergen": ["GM0373", "GM0893"]}
    assert result["unknown"] == ["Atlantis", "GM9999"]
    assert result["codes"] == ("GM0363",)


def test_upload_excel_style_semicolons_and_windows_encoding():
    data = "Súdwest-Fryslân;\r\nAmsterdam;\r\n".encode("cp1252")
    result = parse_region_csv(data, GEMEENTEN)
    assert result["codes"] == ("GM1900", "GM0363")
    assert result["encoding"] == "cp1252"


@pytest.mark.parametrize(("data", "error"), [
    (b"\xff\xfeA\x00m\x00\x00\x00", "encoding"),          # UTF-16 / binary
    (b"PK\x03\x04\x14\x00\x06\x00", "encoding"),           # an .xlsx renamed to .csv
    (b"code;naam\nGM0363;Amsterdam\n", "columns"),
    (b"GM0363\nGM0362,Amstelveen\n", "columns"),
    (b"GM0363\n" * (MAX_UPLOAD_BYTES // 7 + 1), "too_large"),
    (b"\n \n\n", "empty"),
    (b"gemeente\n", "empty"),
])
def test_upload_errors(data, error):
    result = parse_region_csv(data, GEMEENTEN)
    assert result["error"] == error
    assert result["codes"] == ()


def test_upload_wrong_columns_says_where():
    result = parse_region_csv(b"Amsterdam\nGM0362,Amstelveen,x\n", GEMEENTEN)
    assert result["columns_line"] == (2, 3)


def test_upload_entries_are_safe_to_show():
    result = parse_region_csv(b"<img src=x onerror=alert(1)>\n[link](http://x.nl)\n", GEMEENTEN)
    shown = " ".join(result["unknown"])
    assert not set(shown) & set("<>[]:=")
