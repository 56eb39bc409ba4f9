"""Property-based: no input makes search raise (arbitrary Unicode, FTS5 operators, quotes, NUL, long)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carmm_desktop.content.compile import build_database
from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.content.search import SearchEngine, build_match, parse_query

FTS_SYNTAX = st.sampled_from(
    [
        '"',
        "*",
        "(",
        ")",
        "-",
        "^",
        ":",
        "NEAR",
        "AND",
        "OR",
        "NOT",
        "+",
        "kind:",
        "status:",
        "\x00",
        "{",
        "}",
        "col:",
        "'",
        ";",
        "--",
        "/*",
    ]
)
HOSTILE_TEXT = st.lists(st.one_of(st.text(max_size=20), FTS_SYNTAX), max_size=12).map(" ".join)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    from tests.conftest import entry_text, write_entry

    root = tmp_path_factory.mktemp("props") / "content"
    write_entry(
        root, entry_text("bcma", aliases=["CD269"], body="γ-secretase sheds BCMA; 4-1BB [@ref1]."), "antigen", "bcma"
    )
    return SearchEngine(ContentRepository(build_database(root, root.parent / "db.sqlite").path))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=200), HOSTILE_TEXT))
def test_search_never_raises(engine: SearchEngine, text: str) -> None:
    response = engine.search(text)
    assert all(result.snippet.count("<b>") == result.snippet.count("</b>") for result in response.results)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), HOSTILE_TEXT))
def test_match_expressions_are_always_quoted(text: str) -> None:
    match = build_match(parse_query(text))
    if match is not None:
        # Outside quoted strings only our own operators and brackets appear.
        outside = "".join(part for index, part in enumerate(match.split('"')) if index % 2 == 0)
        assert set(outside.replace("AND", "").replace("OR", "").replace("NOT", "")) <= set(" ()*")


def test_very_long_input(engine: SearchEngine) -> None:
    assert isinstance(engine.search("x" * 10_000).results, list)
    assert isinstance(engine.search(("bcma " * 2_000).strip()).results, list)
