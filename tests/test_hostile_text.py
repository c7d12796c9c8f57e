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


HOSTILE = "$$x$$ :red[RED] **B** [lnk](javascript:alert(1))"
RAW = ("$$x$$", ":red[RED]", "**B**", "[lnk](")


def markdown_texts(at) -> list[str]:
    """The source text of every element Streamlit renders as Markdown."""
    kinds = ("title", "header", "subheader", "caption", "markdown", "info", "warning",
             "error", "success")
    return [str(e.value) for kind in kinds for e in getattr(at, kind)]


def test_a_region_name_from_the_warehouse_reads_literally_on_every_page(tmp_path, warehouse,
                                                                         make_app):
    """A (tampered) warehouse names the default region with Markdown and LaTeX: every page
    shows it as text (escaped for Streamlit's Markdown), never as KaTeX, colour, bold or a
    link."""
    import duckdb

    hostile = tmp_path / "hostile.duckdb"
    hostile.write_bytes(warehouse.read_bytes())
    con = duckdb.connect(str(hostile))
    con.execute("update region set region_name = ? where region_code = 'PR_mra'", [HOSTILE])
    con.close()
    seen_escaped = 0
    for page, params in ((None, {}), ("pages/regioprofiel.py", {}),
                         ("pages/vergelijken.py", {"regions": "PR_mra,PV27"}),
                         ("pages/kaart.py", {"level": "proeftuin", "highlight": "PR_mra"}),
                         ("pages/trends.py", {"regions": "PR_mra"})):
        at = make_app(hostile, page, timeout=120, **params).run()
        assert not at.exception, page
        texts = markdown_texts(at)
        for text in texts:
            assert not any(raw in text for raw in RAW), (page, text)
        seen_escaped += sum(r"\$\$x\$\$" in text for text in texts)
    assert seen_escaped >= 3  # the name is shown (escaped) on Overzicht, Regioprofiel, Kaart
