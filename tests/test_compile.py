"""The compiler: deterministic output, meta table, FTS index, atomic write, read-only opening."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from carmm_desktop.content.compile import build_database
from carmm_desktop.content.locate import needs_rebuild
from carmm_desktop.content.models import SCHEMA_VERSION
from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.errors import ContentDatabaseError, ContentValidationError, EntryNotFoundError
from tests.conftest import entry_text, write_entry

TABLES = ("meta", "entry", "alias", "name", "tag", "attribute", "relation", "reference")


def dump(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as connection:
        rows = {table: connection.execute(f"SELECT * FROM {table}").fetchall() for table in TABLES}
        rows["entry_fts"] = connection.execute("SELECT * FROM entry_fts").fetchall()
    rows["meta"] = [row for row in rows["meta"] if row[0] != "build_time"]
    return rows


def test_building_twice_gives_the_same_rows(tiny_corpus: Path, tmp_path: Path) -> None:
    first = build_database(tiny_corpus, tmp_path / "a.sqlite")
    time.sleep(1.1)  # a different build time must be the only difference
    second = build_database(tiny_corpus, tmp_path / "b.sqlite")
    assert dump(first.path) == dump(second.path)
    assert first.content_version == second.content_version
    assert first.sources_sha256 == second.sources_sha256


def test_shipped_corpus_builds_deterministically(tmp_path: Path) -> None:
    from tests.conftest import CONTENT_SOURCES

    first = build_database(CONTENT_SOURCES, tmp_path / "a.sqlite")
    second = build_database(CONTENT_SOURCES, tmp_path / "b.sqlite")
    assert dump(first.path) == dump(second.path)
    assert first.seconds < 30  # a sanity bound, not a benchmark (see bench/)


def test_meta_and_counts(tiny_corpus: Path, tmp_path: Path) -> None:
    report = build_database(tiny_corpus, tmp_path / "db.sqlite")
    assert report.entries == 2 and report.counts == {"antigen": 1, "product": 1}
    repository = ContentRepository(report.path)
    assert repository.meta["schema_version"] == SCHEMA_VERSION
    assert repository.meta["sources_sha256"] == report.sources_sha256
    assert repository.meta["entry_count"] == "2"
    assert repository.content_version == report.content_version
    assert report.content_version.startswith("2026-11-24+")
    assert "T" in repository.meta["build_time"]


def test_changing_a_source_changes_the_version(tiny_corpus: Path, tmp_path: Path) -> None:
    before = build_database(tiny_corpus, tmp_path / "a.sqlite")
    path = tiny_corpus / "antigen" / "bcma.md"
    path.write_text(path.read_text().replace("A body", "An edited body"))
    after = build_database(tiny_corpus, tmp_path / "b.sqlite")
    assert before.content_version != after.content_version


def test_invalid_sources_leave_the_existing_db_untouched(tiny_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "db.sqlite"
    build_database(tiny_corpus, out)
    before = out.read_bytes()
    write_entry(tiny_corpus, entry_text("broken", "gadget"), "gadget", "broken")
    with pytest.raises(ContentValidationError):
        build_database(tiny_corpus, out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".carmm-build")] == []


def test_repository_reads_entries_relations_both_ways(tiny_corpus: Path, tmp_path: Path) -> None:
    repository = ContentRepository(build_database(tiny_corpus, tmp_path / "db.sqlite").path)
    product = repository.get_entry("demo-cel")
    assert [a.name for a in product.attributes] == ["target", "orr"]  # schema order, not file order
    assert [(link.label, link.entry.id, link.outgoing) for link in product.links] == [("Targets", "bcma", True)]
    antigen = repository.get_entry("bcma")
    assert [(link.label, link.entry.id, link.outgoing) for link in antigen.links] == [
        ("Targeted by", "demo-cel", False)
    ]
    assert repository.counts_by_kind() == {"antigen": 1, "product": 1}
    with pytest.raises(EntryNotFoundError):
        repository.get_entry("missing")


def test_opened_read_only_and_works_from_a_read_only_folder(tiny_corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = build_database(tiny_corpus, folder / "db.sqlite").path
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        repository = ContentRepository(db)
        assert repository.get_entry("bcma").title == "Title of bcma"
        with repository.connect() as connection, pytest.raises(Exception, match=r"readonly|read-only|query_only"):
            connection.exec_driver_sql("DELETE FROM entry")
        assert sorted(p.name for p in folder.iterdir()) == ["db.sqlite"]  # no -wal, -shm or journal
    finally:
        folder.chmod(0o755)


def test_missing_corrupt_and_foreign_databases_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(ContentDatabaseError, match="not found"):
        ContentRepository(tmp_path / "none.sqlite")
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ContentDatabaseError, match="not a readable CARMM content database"):
        ContentRepository(corrupt)
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE other (x)")
    with pytest.raises(ContentDatabaseError, match="not a readable CARMM content database"):
        ContentRepository(foreign)


def test_old_schema_is_refused(tiny_corpus: Path, tmp_path: Path) -> None:
    db = build_database(tiny_corpus, tmp_path / "db.sqlite").path
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(ContentDatabaseError, match="schema"):
        ContentRepository(db)


def test_needs_rebuild_follows_source_changes(tiny_corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    assert needs_rebuild(tiny_corpus, db)
    build_database(tiny_corpus, db)
    assert not needs_rebuild(tiny_corpus, db)
    source = tiny_corpus / "antigen" / "bcma.md"
    future = db.stat().st_mtime + 10
    os.utime(source, (future, future))
    assert needs_rebuild(tiny_corpus, db)


def test_the_stored_search_words_are_the_names_and_keywords_as_indexed(repository) -> None:
    """Search's second stage reads these instead of tokenising each candidate's names live."""
    from carmm_desktop.content import text as textutil

    with repository.connect() as connection:
        rows = connection.execute(
            "SELECT e.title, f.aliases, f.keywords, e.name_words, e.keyword_words "
            "FROM entry e JOIN entry_fts f ON f.entry_id = e.id"
        ).all()
    assert len(rows) > 100
    for title, aliases, keywords, name_words, keyword_words in rows:
        own = set(name_words.split())
        assert own == set(textutil.words(f"{title} {aliases}")) | set(textutil.joined_forms(f"{title} {aliases}"))
        assert own | set(keyword_words.split()) == own | set(textutil.words(keywords))
        assert not own & set(keyword_words.split())
    cilta = next(row for row in rows if row[0].startswith("Ciltacabtagene"))
    assert {"cilta", "cel", "ciltacel"} <= set(cilta[3].split())
