"""The validator: one failing fixture per rule, each reported with the file name and a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from carmm_desktop.content.source import load_entries
from carmm_desktop.content.validate import validate
from carmm_desktop.errors import ContentValidationError
from tests.conftest import entry_text, write_entry


def problems_for(root: Path) -> list[str]:
    with pytest.raises(ContentValidationError) as caught:
        validate(load_entries(root))
    return [str(problem) for problem in caught.value.problems]


def test_valid_corpus_passes(tiny_corpus: Path) -> None:
    entries = load_entries(tiny_corpus)
    validate(entries)
    assert sorted(e.id for e in entries) == ["bcma", "demo-cel"]


BROKEN = {
    "unknown kind": (entry_text("x1", "gadget"), "gadget", "x1", "unknown kind 'gadget'"),
    "kind differs from folder": (entry_text("x2", "antigen"), "product", "x2", "does not match its folder"),
    "unknown attribute": (
        entry_text("x3", extra='[attributes]\ncolour = "blue"\n'),
        "antigen",
        "x3",
        "unknown attribute 'colour'",
    ),
    "status not allowed": (entry_text("x4", status="ongoing"), "antigen", "x4", "status 'ongoing' is not allowed"),
    "missing last_reviewed": (
        entry_text("x5", last_reviewed=None),
        "antigen",
        "x5",
        "missing required field(s): last_reviewed",
    ),
    "last_reviewed not a date": (entry_text("x6", last_reviewed='"soon"'), "antigen", "x6", "must be a TOML date"),
    "citation without reference": (
        entry_text("x7", body="ORR 97% [@ref1] and [@nobody]."),
        "antigen",
        "x7",
        "cites [@nobody] but has no reference",
    ),
    "reference without locator": (
        entry_text("x8", references='[[references]]\nkey = "ref1"\ncitation = "A paper."\n'),
        "antigen",
        "x8",
        "has none of pmid, doi, nct, url",
    ),
    "reference never cited": (entry_text("x9", body="No citations here."), "antigen", "x9", "'ref1' is never cited"),
    "relation to missing id": (
        entry_text("x10", extra='[[relations]]\ntype = "related"\nto = "nowhere"\n'),
        "antigen",
        "x10",
        "points to missing id 'nowhere'",
    ),
    "unknown relation type": (
        entry_text("x11", extra='[[relations]]\ntype = "likes"\nto = "bcma"\n'),
        "antigen",
        "x11",
        "unknown relation type 'likes'",
    ),
    "in-body link to missing entry": (
        entry_text("x16", body="See [the other](carmm://entry/nowhere) [@ref1]."),
        "antigen",
        "x16",
        "links to missing entry 'carmm://entry/nowhere'",
    ),
    "uncited figure": (
        entry_text("x17", body="ORR was 73% in this trial. Another claim [@ref1]."),
        "antigen",
        "x17",
        'body states a figure without a [@key] citation: "ORR was 73% in this trial."',
    ),
    "file name differs from id": (entry_text("x12"), "antigen", "not-x12", "file name must be 'x12.md'"),
    "bad front matter": ("no fences here\n", "antigen", "x13", "must start with a '+++' line"),
    "invalid toml": ("+++\nid = \n+++\nbody\n", "antigen", "x14", "not valid TOML"),
    "bad nct": (
        entry_text("x15", references='[[references]]\nkey = "ref1"\ncitation = "Trial."\nnct = "NCT123"\n'),
        "antigen",
        "x15",
        "is not NCT + 8 digits",
    ),
}


@pytest.mark.parametrize("case", BROKEN.values(), ids=list(BROKEN))
def test_each_rule_reports_file_and_reason(tiny_corpus: Path, case: tuple[str, str, str, str]) -> None:
    text, folder, filename, expected = case
    write_entry(tiny_corpus, text, folder, filename)
    problems = problems_for(tiny_corpus)
    assert any(f"{folder}/{filename}.md" in p and expected in p for p in problems), problems


def test_duplicate_id(tiny_corpus: Path) -> None:
    # Same id in another kind's folder (file name matches the id, so only the duplicate rule fires).
    write_entry(tiny_corpus, entry_text("bcma", "product", status="approved"), "product", "bcma")
    problems = problems_for(tiny_corpus)
    assert any("product/bcma.md" in p and "duplicate id 'bcma'" in p for p in problems), problems


def test_duplicate_alias_across_entries_is_case_and_hyphen_insensitive(tiny_corpus: Path) -> None:
    write_entry(tiny_corpus, entry_text("gprc5d", aliases=["cd-269"]), "antigen", "gprc5d")
    problems = problems_for(tiny_corpus)
    assert any("antigen/gprc5d.md" in p and "duplicate alias 'cd-269'" in p and "'bcma'" in p for p in problems)


def test_every_problem_is_reported_not_just_the_first(tiny_corpus: Path) -> None:
    write_entry(tiny_corpus, entry_text("y1", "gadget"), "gadget", "y1")
    write_entry(tiny_corpus, entry_text("y2", body="[@missing] 1%"), "antigen", "y2")
    problems = problems_for(tiny_corpus)
    assert any("gadget/y1.md" in p for p in problems) and any("antigen/y2.md" in p for p in problems)


def test_missing_content_folder(tmp_path: Path) -> None:
    with pytest.raises(ContentValidationError, match="content folder not found"):
        load_entries(tmp_path / "nope")


def test_shipped_content_is_valid() -> None:
    from tests.conftest import CONTENT_SOURCES

    validate(load_entries(CONTENT_SOURCES))


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://pubmed.ncbi.nlm.nih.gov/34175021/", True),
        ("https://www.fda.gov/vaccines-blood-biologics/carvykti", True),
        ("https://www.ema.europa.eu/en/medicines/human/EPAR/carvykti", True),
        ("https://ashpublications.org/blood/article/142/Supplement%201/1/1", True),
        ("https://www.drugs.com/dosage/carvykti.html", False),
        ("http://47.251.13.51:8081/34175021", False),
        ("https://staging.example-news.com/x", False),
        ("https://www2-cancernetwork-com-git-web-1-x.vercel.app/view/x", False),
        ("https://fda.gov.example.com/x", False),
        ("ftp://fda.gov/x", False),
    ],
)
def test_reference_url_hosts(url: str, accepted: bool) -> None:
    from carmm_desktop.content.sources import url_problem

    assert (url_problem(url) is None) is accepted


def test_untrusted_reference_url_is_reported(tiny_corpus: Path) -> None:
    refs = '[[references]]\nkey = "ref1"\ncitation = "A summary page."\nurl = "https://www.drugs.com/x.html"\n'
    write_entry(tiny_corpus, entry_text("x20", references=refs), "antigen", "x20")
    problems = problems_for(tiny_corpus)
    assert any("antigen/x20.md" in p and "host 'www.drugs.com' is not an accepted source" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Median PFS was 34.9 months [@a].", False),
        ("Median PFS was 34.9 months.", True),
        ("CD38 is expressed on plasma cells.", False),
        ("- grade 3 CRS in 5% of patients", True),
        ("A phase 3 trial of 2 arms.", False),
        ("Dose 0.75 × 10⁶ cells/kg [@label].", False),
        ("| ORR | 97% |", True),
    ],
)
def test_uncited_figure_detection(text: str, flagged: bool) -> None:
    from carmm_desktop.content.validate import uncited_figures

    assert bool(uncited_figures(text)) is flagged
