"""Rendering: Markdown to safe HTML, citations as numbered links, nothing remote or scripted."""

from __future__ import annotations

from pathlib import Path

import pytest

from carmm_desktop.content.compile import build_database
from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.render.entry_html import DARK, render_entry
from carmm_desktop.render.markdown_html import render_inline, render_markdown, sanitize


def test_scripts_handlers_and_javascript_links_are_removed() -> None:
    hostile = (
        '<script>alert(1)</script><a href="javascript:alert(1)">x</a>'
        '<img src="https://tracker.example/p.png"><img src="/etc/passwd">'
        '<p onclick="steal()">text</p><iframe src="https://x"></iframe><style>body{}</style>'
        "[link](javascript:alert(2)) ![remote](https://example.com/i.png)"
    )
    html = render_markdown(hostile)
    for forbidden in ("<script", "javascript:", "<img", "onclick", "<iframe", "<style", "tracker", "passwd"):
        assert forbidden not in html
    assert "text" in html


def test_safe_links_survive() -> None:
    html = sanitize('<a href="https://pubmed.ncbi.nlm.nih.gov/1/">p</a><a href="carmm://entry/bcma">b</a>')
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/1/"' in html
    assert 'href="carmm://entry/bcma"' in html


def test_citations_become_numbered_links() -> None:
    numbers = {"a": 1, "b": 2}.get
    html = render_markdown("ORR 97% [@a]; both [@a; @b]; unknown [@zz].", numbers)
    assert '<a href="#ref-a" title="Reference 1">1</a>' in html
    assert '<a href="#ref-b" title="Reference 2">2</a>' in html
    assert "[@zz]" in html


def test_tables_render() -> None:
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<table>" in html and "<td>1</td>" in html


def test_inline_has_no_paragraph_wrapper() -> None:
    assert render_inline("**bold** 5% [@a]", {"a": 1}.get).startswith("<strong>bold</strong>")


def test_entry_page_has_header_facts_links_references(tiny_corpus: Path, tmp_path: Path) -> None:
    repository = ContentRepository(build_database(tiny_corpus, tmp_path / "db.sqlite").path)
    page = render_entry(repository.get_entry("demo-cel"))
    assert "Democabtagene autoleucel" in page and "INVESTIGATIONAL" in page
    assert "Key facts" in page and "Overall response rate" in page
    assert 'href="carmm://entry/bcma"' in page and "Targets" in page
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/12345678/"' in page
    assert '<a name="ref-ref1">' in page
    assert "Last reviewed 2026-11-24" in page and "not a substitute" in page
    assert DARK.text in render_entry(repository.get_entry("demo-cel"), theme=DARK)


def test_plain_text_keeps_clinical_symbols_and_drops_markup() -> None:
    from carmm_desktop.content.text import markdown_to_plain

    text = "## Efficacy\n**PFS** >12 months [@a]; ORR ≥90% [@b].\n> quoted\n- item\n| a | b |"
    assert markdown_to_plain(text) == "Efficacy PFS >12 months; ORR ≥90%. quoted item a b"


def test_the_pages_rendered_at_build_time_equal_rendering_on_the_fly(repository) -> None:
    """The DB stores each entry's Markdown parts as HTML (no Markdown import to show an entry);
    the stored HTML must be exactly what rendering the sources now would give, for every entry."""
    for entry in repository.all_entries():
        assert entry.body_html and entry.summary_html, entry.id
        unrendered = entry._replace(
            summary_html="",
            body_html="",
            attributes=[attribute._replace(value_html="") for attribute in entry.attributes],
        )
        assert render_entry(entry) == render_entry(unrendered), entry.id


@pytest.mark.parametrize(
    "text",
    ["", "plain", "<script>alert('x')</script>", "a & b \"c\" <d> 'e'", "&amp; already", "ß—≥90% <b>", "<<&&>>\"'"],
)
def test_escape_html_is_html_escape(text: str) -> None:
    """The app escapes without importing `html` (its entity table is not needed for the first frame)."""
    import html

    from carmm_desktop.content.text import escape_html

    assert escape_html(text) == html.escape(text)
    assert escape_html(text, quote=False) == html.escape(text, quote=False)
