"""Compile the content sources into one SQLite file, deterministically.

Same sources give the same rows in the same order (only the build time in `meta` differs). The
file is written beside its destination and renamed into place, so a reader never sees half a DB.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import Connection

from carmm_desktop import __version__
from carmm_desktop.content import text as textutil
from carmm_desktop.content.glossary import GlossaryTerm, glossary_problems, load_glossary
from carmm_desktop.content.models import (
    ALIAS,
    ATTRIBUTE,
    CONTENT_METADATA,
    ENTRY,
    FTS_DDL,
    FTS_VOCAB_DDL,
    GLOSSARY,
    META,
    NAME,
    NAME_FTS_COLUMNS,
    NAME_FTS_DDL,
    NAME_VOCAB_DDL,
    PREFIX_DDL,
    REFERENCE,
    RELATION,
    SCHEMA_VERSION,
    TAG,
)
from carmm_desktop.content.schema import KINDS
from carmm_desktop.content.source import Entry, load_entries, sources_digest
from carmm_desktop.content.validate import validate
from carmm_desktop.errors import ContentError, ContentValidationError
from carmm_desktop.render.markdown_html import citation_numbers, render_inline, render_markdown


@dataclass(frozen=True)
class BuildReport:
    path: Path
    entries: int
    counts: dict[str, int]
    content_version: str
    sources_sha256: str
    seconds: float


def content_version(entries: list[Entry], digest: str) -> str:
    """Human-readable and unique: the newest review date plus the start of the sources hash."""
    newest = max((entry.last_reviewed for entry in entries), default=dt.date(1970, 1, 1))
    return f"{newest.isoformat()}+{digest[:8]}"


def _ordered_attributes(entry: Entry) -> list[tuple[str, str]]:
    names = KINDS[entry.kind].attribute_names
    return [(name, entry.attributes[name]) for name in names if name in entry.attributes]


def _fts_row(entry: Entry) -> dict[str, str]:
    """What search sees of an entry: folded text, Markdown and citations stripped."""
    attributes = " ; ".join(value for _, value in _ordered_attributes(entry))
    body = textutil.markdown_to_plain(entry.body)
    names = " ; ".join([entry.id, *entry.aliases])
    everything = " ".join([entry.title, names, entry.summary, attributes, body, " ".join(entry.tags)])
    # Case and accents are left to the unicode61 tokenizer so snippets read as written.
    readable = textutil.spell_greek
    return {
        "entry_id": entry.id,
        "title": readable(entry.title),
        "aliases": readable(names),
        "keywords": " ".join([*textutil.joined_forms(everything), *(textutil.fold(t) for t in entry.tags)]),
        "attributes": readable(textutil.markdown_to_plain(attributes)),
        "summary": readable(textutil.markdown_to_plain(entry.summary)),
        "body": readable(body),
    }


def _search_words(title: str, fts_row: dict[str, str]) -> dict[str, str]:
    """The entry's name words and other keyword words (models.ENTRY), from what search indexes."""
    own = textutil.name_words(title, fts_row["aliases"])
    others = sorted(set(textutil.words(fts_row["keywords"])).difference(own))
    return {"name_words": " ".join(own), "keyword_words": " ".join(others)}


def _write(connection: Connection, entries: list[Entry], glossary: list[GlossaryTerm], meta: dict[str, str]) -> None:
    ordered = sorted(entries, key=lambda entry: entry.id)
    numbers = {e.id: citation_numbers(reference.key for reference in e.references) for e in ordered}
    connection.execute(insert(META), [{"key": k, "value": v} for k, v in sorted(meta.items())])
    searched = {e.id: _fts_row(e) for e in ordered}
    connection.execute(
        insert(ENTRY),
        [
            {
                "id": e.id,
                "kind": e.kind,
                "title": e.title,
                "summary": e.summary,
                "status": e.status,
                "last_reviewed": e.last_reviewed.isoformat(),
                "body": e.body,
                "summary_html": render_inline(e.summary, numbers[e.id]),
                "body_html": render_markdown(e.body, numbers[e.id]),
                "source_path": e.source_path,
                **_search_words(e.title, searched[e.id]),
            }
            for e in ordered
        ],
    )
    aliases = [{"entry_id": e.id, "position": i, "alias": a} for e in ordered for i, a in enumerate(e.aliases)]
    # The validator guarantees each key belongs to one entry.
    names = sorted({(textutil.key(name), e.id) for e in ordered for name in (e.id, e.title, *e.aliases)})
    tags = [{"entry_id": e.id, "position": i, "tag": t} for e in ordered for i, t in enumerate(e.tags)]
    attributes = [
        {"entry_id": e.id, "name": n, "position": i, "value": v, "value_html": render_inline(v, numbers[e.id])}
        for e in ordered
        for i, (n, v) in enumerate(_ordered_attributes(e))
    ]
    relations = [
        {"source_id": e.id, "type": r.type, "target_id": r.to, "position": i}
        for e in ordered
        for i, r in enumerate(e.relations)
    ]
    references = [
        {
            "entry_id": e.id,
            "key": r.key,
            "position": i,
            "citation": r.citation,
            "pmid": r.pmid,
            "doi": r.doi,
            "nct": r.nct,
            "url": r.url,
        }
        for e in ordered
        for i, r in enumerate(e.references)
    ]
    for model, rows in (
        (ALIAS, aliases),
        (NAME, [{"match_key": k, "entry_id": i} for k, i in names]),
        (TAG, tags),
        (ATTRIBUTE, attributes),
        (RELATION, relations),
        (REFERENCE, references),
    ):
        if rows:
            connection.execute(insert(model), rows)
    if glossary:
        connection.execute(
            insert(GLOSSARY),
            sorted(
                (
                    {
                        "match_key": textutil.key(t.abbreviation),
                        "abbreviation": t.abbreviation,
                        "expansion": t.expansion,
                        "entry_id": t.entry_id,
                    }
                    for t in glossary
                ),
                key=lambda row: row["match_key"],
            ),
        )
    connection.execute(text(FTS_DDL))
    connection.execute(text(FTS_VOCAB_DDL))
    connection.execute(text(NAME_FTS_DDL))
    connection.execute(text(NAME_VOCAB_DDL))
    # Both indexes give an entry the same rowid, so a names hit finds its text without a join.
    fts_rows = [{"rowid": i, **searched[e.id]} for i, e in enumerate(ordered, start=1)]
    # The names index is a subset of the same columns (see NAME_FTS_COLUMNS): "cilta-cel" squashed in
    # a toxicity's keywords still counts as naming it.
    name_rows = [{key: row[key] for key in ("rowid", "entry_id", *NAME_FTS_COLUMNS)} for row in fts_rows]
    for table, rows in (("entry_fts", fts_rows), ("name_fts", name_rows)):
        if rows:
            columns = list(rows[0])
            connection.execute(
                text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"),
                rows,
            )
            connection.execute(text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))


def _write_prefix_answers(engine, path: Path) -> None:
    """Rank every short prefix once, with the live ranking code, and store the answers."""
    from carmm_desktop.content.search import precomputed_prefix_rows

    rows = precomputed_prefix_rows(path)
    with engine.begin() as connection:
        connection.execute(text(PREFIX_DDL))
        if rows:
            connection.execute(
                text("INSERT INTO prefix_top (prefix, position, entry_rowid, score) VALUES (:p, :i, :r, :s)"),
                [{"p": p, "i": i, "r": r, "s": s} for p, i, r, s in rows],
            )


def build_database(source_root: Path, out_path: Path) -> BuildReport:
    """Validate every source and write the compiled DB to `out_path` atomically."""
    started = time.perf_counter()
    entries = load_entries(source_root)
    validate(entries)
    try:
        glossary = load_glossary(source_root)
    except ContentError as problem:
        raise ContentValidationError([problem]) from None
    problems = glossary_problems(glossary, {entry.id for entry in entries})
    if problems:
        raise ContentValidationError(problems)
    digest = sources_digest(source_root)
    write_database(entries, glossary, digest, out_path)
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.kind] = counts.get(entry.kind, 0) + 1
    return BuildReport(
        path=out_path.resolve(),
        entries=len(entries),
        counts=dict(sorted(counts.items())),
        content_version=content_version(entries, digest),
        sources_sha256=digest,
        seconds=time.perf_counter() - started,
    )


def write_database(entries: list[Entry], glossary: list[GlossaryTerm], digest: str, out_path: Path) -> None:
    """Write already-validated entries to `out_path` atomically (also used by bench/ for big corpora)."""
    version = content_version(entries, digest)
    meta = {
        "schema_version": SCHEMA_VERSION,
        "content_version": version,
        "sources_sha256": digest,
        "build_time": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "app_version": __version__,
        "entry_count": str(len(entries)),
    }
    out_path = out_path.resolve()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".carmm-build-", suffix=".sqlite", dir=out_path.parent)
    os.close(handle)
    temp_path = Path(temp_name)
    try:
        engine = create_engine(f"sqlite:///{temp_path}")
        try:
            CONTENT_METADATA.create_all(engine)
            with engine.begin() as connection:
                _write(connection, entries, glossary, meta)
            _write_prefix_answers(engine, temp_path)
            with engine.connect() as connection:
                connection.exec_driver_sql("VACUUM")
        finally:
            engine.dispose()
        temp_path.chmod(0o644)
        temp_path.replace(out_path)
    finally:
        temp_path.unlink(missing_ok=True)
