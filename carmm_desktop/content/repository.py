"""Read access to the compiled content DB: the one object the UI and the CLI ask for content.

The DB is opened read-only and immutable (`mode=ro&immutable=1`), so the app works from a
read-only install folder and can never change the reference by accident.
"""

from __future__ import annotations

import sqlite3
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.exc import DatabaseError, OperationalError

from carmm_desktop.content.glossary import GlossaryTerm
from carmm_desktop.content.models import ALIAS, ATTRIBUTE, ENTRY, GLOSSARY, META, REFERENCE, SCHEMA_VERSION, TAG
from carmm_desktop.content.schema import KINDS, RELATION_TYPES
from carmm_desktop.content.source import Reference
from carmm_desktop.errors import ContentDatabaseError, EntryNotFoundError


@dataclass(frozen=True)
class EntrySummary:
    id: str
    kind: str
    title: str
    summary: str
    status: str
    last_reviewed: str


@dataclass(frozen=True)
class Attribute:
    name: str
    label: str
    value: str


@dataclass(frozen=True)
class Link:
    """A relation as seen from one entry: its label reads in that entry's direction."""

    type: str
    label: str
    entry: EntrySummary
    outgoing: bool


@dataclass(frozen=True)
class EntryDetail:
    id: str
    kind: str
    title: str
    summary: str
    status: str
    last_reviewed: str
    body: str
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind].label if self.kind in KINDS else self.kind


def read_only_url(path: Path) -> str:
    """SQLAlchemy URL opening `path` read-only and immutable through SQLite's URI syntax."""
    quoted = urllib.parse.quote(path.resolve().as_posix())
    return f"sqlite:///file:{quoted}?mode=ro&immutable=1&uri=true"


class ContentRepository:
    """The compiled reference, read-only. Create one per DB file and pass it where needed."""

    def __init__(self, db_path: Path) -> None:
        self.path = Path(db_path)
        if not self.path.is_file():
            raise ContentDatabaseError(
                f"content database not found at {self.path} (build it with 'carmm-desktop build-db')"
            )
        self.engine: Engine = create_engine(read_only_url(self.path))
        event.listen(self.engine, "connect", _on_connect)
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(select(META.c.key, META.c.value)).all()
                connection.exec_driver_sql("SELECT count(*) FROM entry_fts").scalar()
        except (DatabaseError, OperationalError) as error:
            self.engine.dispose()
            reason = getattr(error, "orig", error)
            raise ContentDatabaseError(
                f"{self.path} is not a readable CARMM content database ({reason}); rebuild it with "
                "'carmm-desktop build-db' or reinstall the app"
            ) from None
        self.meta: dict[str, str] = dict(rows)
        found = self.meta.get("schema_version")
        if found != SCHEMA_VERSION:
            self.engine.dispose()
            raise ContentDatabaseError(
                f"{self.path} has content schema {found!r}, this app reads {SCHEMA_VERSION!r}; "
                "rebuild it with 'carmm-desktop build-db'"
            )

    def close(self) -> None:
        self.engine.dispose()

    @property
    def content_version(self) -> str:
        return self.meta.get("content_version", "unknown")

    def connect(self):
        return self.engine.connect()

    # --- listing -------------------------------------------------------------------------------

    def list_entries(self, kind: str | None = None) -> list[EntrySummary]:
        """Entries sorted by kind order (as in the schema), then title."""
        query = select(ENTRY.c.id, ENTRY.c.kind, ENTRY.c.title, ENTRY.c.summary, ENTRY.c.status, ENTRY.c.last_reviewed)
        if kind is not None:
            query = query.where(ENTRY.c.kind == kind)
        with self.engine.connect() as connection:
            rows = [EntrySummary(*row) for row in connection.execute(query)]
        kind_order = {name: index for index, name in enumerate(KINDS)}
        return sorted(rows, key=lambda e: (kind_order.get(e.kind, 99), e.title.casefold()))

    def counts_by_kind(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            rows = connection.execute(text("SELECT kind, count(*) FROM entry GROUP BY kind")).all()
        found = dict(rows)
        return {name: found[name] for name in KINDS if name in found}

    def has_entry(self, entry_id: str) -> bool:
        with self.engine.connect() as connection:
            return connection.execute(select(ENTRY.c.id).where(ENTRY.c.id == entry_id)).first() is not None

    # --- one entry -----------------------------------------------------------------------------

    def get_entry(self, entry_id: str) -> EntryDetail:
        with self.engine.connect() as connection:
            row = connection.execute(select(ENTRY).where(ENTRY.c.id == entry_id)).first()
            if row is None:
                raise EntryNotFoundError(f"no entry with id '{entry_id}'")
            aliases = (
                connection.execute(select(ALIAS.c.alias).where(ALIAS.c.entry_id == entry_id).order_by(ALIAS.c.position))
                .scalars()
                .all()
            )
            tags = (
                connection.execute(select(TAG.c.tag).where(TAG.c.entry_id == entry_id).order_by(TAG.c.position))
                .scalars()
                .all()
            )
            attribute_rows = connection.execute(
                select(ATTRIBUTE.c.name, ATTRIBUTE.c.value)
                .where(ATTRIBUTE.c.entry_id == entry_id)
                .order_by(ATTRIBUTE.c.position)
            ).all()
            reference_rows = connection.execute(
                select(REFERENCE).where(REFERENCE.c.entry_id == entry_id).order_by(REFERENCE.c.position)
            ).all()
            links = self._links(connection, entry_id)
            detail = EntryDetail(
                id=row.id,
                kind=row.kind,
                title=row.title,
                summary=row.summary,
                status=row.status,
                last_reviewed=row.last_reviewed,
                body=row.body,
                aliases=list(aliases),
                tags=list(tags),
                attributes=[
                    Attribute(name, dict(KINDS[row.kind].attributes).get(name, name), value)
                    for name, value in attribute_rows
                ],
                links=links,
                references=[Reference(r.key, r.citation, r.pmid, r.doi, r.nct, r.url) for r in reference_rows],
            )
        return detail

    def _links(self, connection, entry_id: str) -> list[Link]:
        summary_columns = "e.id, e.kind, e.title, e.summary, e.status, e.last_reviewed"
        outgoing = connection.execute(
            text(
                f"SELECT r.type, {summary_columns} FROM relation r JOIN entry e ON e.id = r.target_id "
                "WHERE r.source_id = :id ORDER BY r.position"
            ),
            {"id": entry_id},
        ).all()
        incoming = connection.execute(
            text(
                f"SELECT r.type, {summary_columns} FROM relation r JOIN entry e ON e.id = r.source_id "
                "WHERE r.target_id = :id ORDER BY e.kind, e.title"
            ),
            {"id": entry_id},
        ).all()
        links = [
            Link(row[0], RELATION_TYPES.get(row[0], (row[0], row[0]))[0], EntrySummary(*row[1:]), True)
            for row in outgoing
        ]
        links += [
            Link(row[0], RELATION_TYPES.get(row[0], (row[0], row[0]))[1], EntrySummary(*row[1:]), False)
            for row in incoming
        ]
        return links

    def glossary(self) -> list[GlossaryTerm]:
        """Abbreviations, alphabetically, with their expansion and explaining entry (if any)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(GLOSSARY.c.abbreviation, GLOSSARY.c.expansion, GLOSSARY.c.entry_id).order_by(
                    GLOSSARY.c.match_key
                )
            ).all()
        return [GlossaryTerm(abbreviation, expansion, entry_id) for abbreviation, expansion, entry_id in rows]

    def all_entries(self) -> list[EntryDetail]:
        """Every entry in full, sorted by id (what `export` writes)."""
        with self.engine.connect() as connection:
            ids = connection.execute(select(ENTRY.c.id).order_by(ENTRY.c.id)).scalars().all()
        return [self.get_entry(entry_id) for entry_id in ids]


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # The content DB is never written; let SQLite skip locking work on every read.
    dbapi_connection.execute("PRAGMA query_only = ON")
