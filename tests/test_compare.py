"""Compare: the table builder (no Qt), its text/CSV/HTML forms and the CLI contract."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from carmm_desktop.cli import main
from carmm_desktop.content.compare import (
    NOT_REPORTED,
    ComparisonError,
    available_suggestions,
    build_comparison,
    to_csv,
    to_html,
    to_text,
)
from carmm_desktop.content.compile import build_database
from carmm_desktop.content.repository import ContentRepository
from tests.conftest import entry_text, write_entry


@pytest.fixture
def corpus_repository(tiny_corpus: Path, tmp_path: Path) -> ContentRepository:
    second = entry_text(
        "other-cel",
        "product",
        title="Othercabtagene autoleucel",
        status="approved",
        extra='[attributes]\ntarget = "BCMA"\norr = "80% [@ref1]"\ndose = "1 × 10⁶/kg [@ref1]"\n\n'
        '[[relations]]\ntype = "targets"\nto = "bcma"\n',
    )
    write_entry(tiny_corpus, second, "product", "other-cel")
    write_entry(
        tiny_corpus,
        entry_text(
            "crs", "toxicity", title="CRS", status="reference", extra='[attributes]\nonset = "days 1-7 [@ref1]"\n'
        ),
        "toxicity",
        "crs",
    )
    return ContentRepository(build_database(tiny_corpus, tmp_path / "db.sqlite").path)


def rows_by_label(comparison) -> dict:
    return {row.label: row for _section, row in comparison.rows()}


def test_same_kind_rows_values_and_differences(corpus_repository) -> None:
    comparison = build_comparison(corpus_repository, ["demo-cel", "other-cel"])
    rows = rows_by_label(comparison)
    assert [c.plain for c in rows["Target(s)"].cells] == ["BCMA", "BCMA"] and not rows["Target(s)"].differs
    assert [c.plain for c in rows["Overall response rate"].cells] == ["50%", "80%"] and rows[
        "Overall response rate"
    ].differs
    assert rows["Dose"].cells[0].value == NOT_REPORTED
    assert rows["Overall response rate"].cells[0].references[0].pmid == "12345678"
    assert [r.label for r in comparison.relations] == ["Targets"] and comparison.relations[0].shared_by_all
    assert all(row.differs for _s, row in comparison.rows(only_differences=True))


def test_mixed_kinds_make_one_section_per_kind(corpus_repository) -> None:
    comparison = build_comparison(corpus_repository, ["demo-cel", "crs"])
    titles = [section.title for section in comparison.sections]
    assert titles == ["General", "CAR T product attributes", "Toxicity attributes"]
    onset = rows_by_label(comparison)["Onset"]
    assert [c.plain for c in onset.cells] == [NOT_REPORTED, "days 1-7"]
    assert comparison.notes


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (["demo-cel"], "at least 2"),
        (["demo-cel", "demo-cel"], "repeated: demo-cel"),
        (["demo-cel", "nope"], "no entry with id 'nope'"),
        (["a", "b", "c", "d", "e", "f", "g"], "at most 6"),
    ],
)
def test_bad_ids_give_clear_errors(corpus_repository, ids: list[str], message: str) -> None:
    with pytest.raises(ComparisonError, match=message):
        build_comparison(corpus_repository, ids)


def test_six_columns_on_the_shipped_corpus(repository) -> None:
    ids = ["ide-cel", "cilta-cel", "eque-cel", "zevor-cel", "anito-cel", "allo-715"]
    comparison = build_comparison(repository, ids)
    assert comparison.ids == ids
    assert all(len(row.cells) == 6 for _s, row in comparison.rows())
    page = to_html(comparison)
    assert page.count("carmm://entry/") >= 6 and "content version" in page and "<script" not in page


def test_ide_cel_vs_cilta_cel_csv_has_what_a_haematologist_expects(repository) -> None:
    table = list(csv.reader(io.StringIO(to_csv(build_comparison(repository, ["ide-cel", "cilta-cel"])))))
    header = table[0]
    assert header[:2] == ["section", "attribute"] and "Idecabtagene" in header[2] and "Ciltacabtagene" in header[3]
    rows = {row[1]: row for row in table[1:] if len(row) > 4 and row[0] != "references"}
    for label in (
        "Target(s)",
        "Binding domain",
        "Costimulatory domain",
        "Approvals",
        "Pivotal trial(s)",
        "Overall response rate",
        "CR / sCR rate",
        "Median PFS",
        "CRS, any grade",
        "Boxed warning",
    ):
        assert rows[label][2] != NOT_REPORTED and rows[label][3] != NOT_REPORTED, label
    assert "scFv" in rows["Binding domain"][2] and "VHH" in rows["Binding domain"][3]
    assert rows["Binding domain"][-1] == "yes"
    assert any(row and row[0] == "" and row[3] for row in table if len(row) > 3)  # references with PMIDs
    assert table[-1][0].startswith("CARMM Desktop comparison; content version")


def test_text_marks_differences(corpus_repository) -> None:
    text = to_text(build_comparison(corpus_repository, ["demo-cel", "other-cel"]), only_differences=True)
    assert "Overall response rate *" in text and "Target(s)" not in text


def test_suggestions_only_offer_present_entries(corpus_repository, repository) -> None:
    assert available_suggestions(corpus_repository) == []
    names = dict(available_suggestions(repository))
    assert names["Approved BCMA CAR T products"] == ["ide-cel", "cilta-cel", "eque-cel", "zevor-cel"]
    assert names["Phase 3 CAR T trials"] == ["karmma-3", "cartitude-4"]


@pytest.mark.parametrize("fmt", ["text", "csv", "html"])
def test_cli_compare_formats(corpus_repository, capsys, fmt: str) -> None:
    code = main(["--content-db", str(corpus_repository.path), "compare", "demo-cel", "other-cel", "--format", fmt])
    out = capsys.readouterr().out
    assert code == 0 and "Othercabtagene" in out


def test_cli_compare_errors(corpus_repository, capsys) -> None:
    code = main(["--content-db", str(corpus_repository.path), "compare", "demo-cel", "nope"])
    assert code == 1 and "no entry with id 'nope'" in capsys.readouterr().err
    code = main(["--content-db", str(corpus_repository.path), "compare", "demo-cel", "other-cel", "--only-diff"])
    assert code == 0 and "Target(s)" not in capsys.readouterr().out
