"""Search: forgiving syntax that never raises, normalisation, filters, exact names first."""

from __future__ import annotations

from pathlib import Path

import pytest

from carmm_desktop.content.compile import build_database
from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.content.search import SearchEngine, build_match, parse_query
from tests.conftest import entry_text, write_entry


@pytest.fixture
def engine(tiny_corpus: Path, tmp_path: Path) -> SearchEngine:
    write_entry(
        tiny_corpus,
        entry_text(
            "soluble-bcma",
            "mechanism",
            title="Soluble BCMA shedding",
            aliases=["sBCMA"],
            status="reference",
            body="BCMA is cut from the cell surface by γ-secretase; 4-1BB is unrelated here [@ref1].",
        ),
        "mechanism",
        "soluble-bcma",
    )
    repository = ContentRepository(build_database(tiny_corpus, tmp_path / "db.sqlite").path)
    return SearchEngine(repository)


def ids(engine: SearchEngine, query: str, **kwargs) -> list[str]:
    return [result.id for result in engine.search(query, **kwargs).results]


HOSTILE = [
    '"',
    '""',
    '"unbalanced',
    "NEAR(",
    "C++",
    "AND",
    "OR NOT",
    "*",
    "-",
    "--",
    "kind:",
    "a-b",
    "^title",
    "col:x",
    "\x00",
    "((((",
    "'; DROP TABLE entry; --",
    "title:bcma",
    "💉",
    " " * 5,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_never_raises(engine: SearchEngine, query: str) -> None:
    response = engine.search(query)
    assert isinstance(response.results, list)


def test_long_input_is_handled(engine: SearchEngine) -> None:
    assert engine.search("bcma " * 2000).results[0].id == "bcma"


def test_parse_query_syntax() -> None:
    parsed = parse_query('kind:anti "soluble bcma" -gamma status:approved cilta')
    assert parsed.kinds == ["antigen"]
    assert parsed.statuses == ["approved"]
    assert parsed.phrases == [["soluble", "bcma"]]
    assert parsed.excluded == ["gamma"]
    assert parsed.terms == ["cilta"] and parsed.prefix_last
    assert not parse_query("cilta ").prefix_last
    assert parse_query("kind:gizmo x").problems == ["unknown kind 'gizmo'"]


def test_match_expression_quotes_every_token() -> None:
    assert build_match(parse_query("4-1BB")) == '(("4 1bb"* OR "41bb"*))'
    assert build_match(parse_query('NEAR( "x')) == '("near" AND "x")'
    assert build_match(parse_query("")) is None


@pytest.mark.parametrize("query", ["γ-secretase", "gamma secretase", "Gamma-Secretase", "gamma-secret"])
def test_greek_letters_and_hyphens_normalise(engine: SearchEngine, query: str) -> None:
    assert ids(engine, query) == ["soluble-bcma"]


@pytest.mark.parametrize("query", ["4-1BB", "41BB", "4 1BB", "41bb"])
def test_hyphenated_compounds_match_every_spelling(engine: SearchEngine, query: str) -> None:
    assert "soluble-bcma" in ids(engine, query)


def test_exact_alias_ranks_first(engine: SearchEngine) -> None:
    assert ids(engine, "CD269")[0] == "bcma"
    assert ids(engine, "sbcma")[0] == "soluble-bcma"
    assert ids(engine, "demo cel")[0] == "demo-cel"


def test_prefix_matching_while_typing(engine: SearchEngine) -> None:
    assert ids(engine, "democab") == ["demo-cel"]
    assert ids(engine, "TNFRS")[0] == "bcma"


def test_filters_and_exclusion(engine: SearchEngine) -> None:
    assert set(ids(engine, "bcma")) == {"bcma", "demo-cel", "soluble-bcma"}
    assert ids(engine, "bcma kind:mechanism") == ["soluble-bcma"]
    assert ids(engine, "bcma", kinds=["product"]) == ["demo-cel"]
    assert ids(engine, "bcma status:investigational") == ["demo-cel"]
    assert "soluble-bcma" not in ids(engine, "bcma -secretase")


def test_snippets_are_escaped_and_highlighted(engine: SearchEngine) -> None:
    result = engine.search("secretase").results[0]
    assert "<b>secretase</b>" in result.snippet
    assert result.snippet.count("<b>") == result.snippet.count("</b>")


def test_no_result_gives_suggestions(engine: SearchEngine) -> None:
    response = engine.search("Democabtagene autoleucell")
    assert response.results == [] or response.results[0].id == "demo-cel"
    response = engine.search("Democabtagen autoluecel")
    assert response.results or "Democabtagene autoleucel" in response.suggestions


def test_glossary_abbreviations_expand_and_find_their_entry(tiny_corpus: Path, tmp_path: Path) -> None:
    write_entry(
        tiny_corpus,
        entry_text(
            "nt",
            "mechanism",
            title="Delayed toxicity",
            status="reference",
            body="Movement and neurocognitive toxicity follows some products [@ref1].",
        ),
        "mechanism",
        "nt",
    )
    (tiny_corpus / "glossary.toml").write_text(
        '[[term]]\nabbr = "MNT"\nexpansion = "movement and neurocognitive toxicity"\nentry = "nt"\n\n'
        '[[term]]\nabbr = "sBCMA"\nexpansion = "soluble B-cell maturation antigen"\n'
    )
    repository = ContentRepository(build_database(tiny_corpus, tmp_path / "db.sqlite").path)
    engine = SearchEngine(repository)
    assert ids(engine, "MNT") == ["nt"]
    assert ids(engine, "mnt products")[0] == "nt"
    assert [t.abbreviation for t in repository.glossary()] == ["MNT", "sBCMA"]


def test_glossary_problems_are_reported(tiny_corpus: Path, tmp_path: Path) -> None:
    from carmm_desktop.errors import ContentValidationError

    (tiny_corpus / "glossary.toml").write_text(
        '[[term]]\nabbr = "X"\nexpansion = "x"\nentry = "nowhere"\n\n[[term]]\nabbr = "x"\nexpansion = "again"\n'
    )
    with pytest.raises(ContentValidationError) as caught:
        build_database(tiny_corpus, tmp_path / "db.sqlite")
    messages = [str(p) for p in caught.value.problems]
    assert any("points to missing entry 'nowhere'" in m for m in messages)
    assert any("'x' is defined twice" in m for m in messages)


def test_misspellings_are_corrected_from_the_index_vocabulary(engine: SearchEngine) -> None:
    response = engine.search("Democabtagne")
    assert [r.id for r in response.results][:1] == ["demo-cel"]
    assert response.corrected is not None and "democabtagen" in response.corrected


def test_common_words_are_not_expanded_but_rare_abbreviations_are(tiny_corpus: Path, tmp_path: Path) -> None:
    (tiny_corpus / "glossary.toml").write_text('[[term]]\nabbr = "BCMA"\nexpansion = "b cell maturation antigen"\n')
    engine = SearchEngine(ContentRepository(build_database(tiny_corpus, tmp_path / "g.sqlite").path))
    with engine.repository.connect() as connection:
        assert engine._expansions_for(connection, parse_query("BCMA")) == {}  # in every entry: no need


def test_stored_short_prefix_answers_equal_the_live_ranking(shipped_db: Path) -> None:
    """One- to three-letter words read a list ranked at build time; it must be what live ranking
    gives, with and without filters (a filter that empties a full list falls back to live)."""
    stored = SearchEngine(ContentRepository(shipped_db))
    live = SearchEngine(ContentRepository(shipped_db), precomputed=False)
    with stored.repository.connect() as connection:
        prefixes = connection.execute("SELECT DISTINCT prefix FROM prefix_top ORDER BY prefix").scalars()
    assert {"c", "ca", "car", "bcm", "gp", "4"} <= set(prefixes)
    for prefix in [*prefixes[::7], "c", "ca", "car", "bcm"]:
        for options in ({}, {"kinds": ["agent"]}, {"statuses": ["approved"]}):
            assert ids(stored, prefix, **options) == ids(live, prefix, **options), (prefix, options)


def test_a_prefix_the_stemmer_would_rewrite_still_finds_its_name(shipped_db: Path) -> None:
    engine = SearchEngine(ContentRepository(shipped_db))
    # porter turns the final "y" of "carvy" into "i"; the name is "Carvykti".
    assert ids(engine, "Carvy")[0] == "cilta-cel"
    assert ids(engine, "Tecvay")[0] == "teclistamab"


def test_snippet_windows_show_the_first_hit_in_context() -> None:
    from carmm_desktop.content.search import _highlighter, highlighted_window

    pattern = _highlighter(parse_query("relapse after BCMA"), {})
    text = " ".join(f"w{i}" for i in range(40)) + " (relapsed after BCMA-directed therapy) " + "tail " * 30
    window = highlighted_window(text, pattern)
    assert window.startswith("…w37 w38 w39 (\x02relapsed\x03 \x02after\x03 \x02BCMA\x03-directed")
    assert window.endswith("…") and len(window.split()) == 16
    assert highlighted_window("Nothing to see.", pattern) is None
    short = highlighted_window("BCMA", pattern)
    assert short == "\x02BCMA\x03"


def test_one_typo_from_a_name_counts_as_that_name_but_never_across_numbers(shipped_db: Path) -> None:
    engine = SearchEngine(ContentRepository(shipped_db))
    assert ids(engine, "ciltacell")[0] == "cilta-cel"
    with engine.repository.connect() as connection:
        assert engine._near_exact_ids(connection, "ciltacell") == ["cilta-cel"]
        assert engine._near_exact_ids(connection, "cartitude3") == []  # a trial number is not a typo
        assert engine._near_exact_ids(connection, "cilt") == []  # too short to judge


def test_joined_forms_squash_compounds_and_only_compounds() -> None:
    from carmm_desktop.content.text import joined_forms

    text = "4-1BB, CD3/CD28 and cilta‑cel (non–breaking dashes); BCMA alone; a-b-c; trailing- -leading"
    assert joined_forms(text) == ["41bb", "abc", "cd3cd28", "ciltacel", "nonbreaking"]
    assert joined_forms("no compounds here") == []


def test_joined_forms_match_the_plain_pattern_over_the_shipped_content(repository) -> None:
    """The start-anchored, possessive pattern (fast) finds what the plain one found on every text."""
    import re

    from carmm_desktop.content import text as textutil

    plain = re.compile(r"[0-9a-z]+(?:[-‐‑–/][0-9a-z]+)+")
    with repository.connect() as connection:
        rows = connection.execute("SELECT title, aliases, keywords, summary, body FROM entry_fts").all()
    assert len(rows) > 100
    for row in rows:
        for text in row:
            expected = sorted({re.sub(r"[^0-9a-z]", "", m) for m in plain.findall(textutil.fold(text))})
            assert textutil.joined_forms(text) == expected
