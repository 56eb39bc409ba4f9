"""Read access to the compiled content DB: the one object the UI and the CLI ask for content.

The DB is opened read-only and immutable (`mode=ro&immutable=1`), so the app works from a
read-only install folder and can never change the reference by accident.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from carmm_desktop.content.fts import SCHEMA_VERSION
from carmm_desktop.content.readdb import ReadConnection, ReadOnlyDatabase, SQLiteError
from carmm_desktop.content.schema import KINDS, RELATION_TYPES
from carmm_desktop.errors import ContentDatabaseError, EntryNotFoundError

if TYPE_CHECKING:
    from carmm_desktop.content.glossary import GlossaryTerm

SUMMARY_COLUMNS = "id, kind, title, summary, status, last_reviewed"


# The records read from the DB are NamedTuples, not dataclasses: as immutable, and about ten times
# cheaper to define (a dataclass execs its generated methods, ~0.7 ms a class, and start-up defined
# nine of them before the first frame) and to create (the tree makes one per entry).


class Reference(NamedTuple):
    """One source of an entry, as written in its front matter (content/source.py) and stored."""

    key: str
    citation: str
    pmid: str = ""
    doi: str = ""
    nct: str = ""
    url: str = ""


class EntrySummary(NamedTuple):
    id: str
    kind: str
    title: str
    summary: str
    status: str
    last_reviewed: str


class Attribute(NamedTuple):
    name: str
    label: str
    value: str
    value_html: str = ""  # rendered at build time; empty when built by hand (rendered on use)


class Link(NamedTuple):
    """A relation as seen from one entry: its label reads in that entry's direction."""

    type: str
    label: str
    entry: EntrySummary
    outgoing: bool


class EntryDetail(NamedTuple):
    id: str
    kind: str
    title: str
    summary: str
    status: str
    last_reviewed: str
    body: str
    summary_html: str = ""  # the Markdown parts rendered at build time (see models.ENTRY)
    body_html: str = ""
    aliases: Sequence[str] = ()
    tags: Sequence[str] = ()
    attributes: Sequence[Attribute] = ()
    links: Sequence[Link] = ()
    references: Sequence[Reference] = ()

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind].label if self.kind in KINDS else self.kind


class ContentRepository:
    """The compiled reference, read-only. Create one per DB file and pass it where needed."""

    def __init__(self, db_path: Path) -> None:
        self.path = Path(db_path)
        if not self.path.is_file():
            raise ContentDatabaseError(
                f"content database not found at {self.path} (build it with 'carmm-desktop build-db')"
            )
        try:
            self.database = ReadOnlyDatabase(self.path)
            with self.database.connect() as connection:
                rows = connection.execute("SELECT key, value FROM meta").all()
                connection.execute("SELECT count(*) FROM entry_fts").scalar()
        except SQLiteError as error:
            raise ContentDatabaseError(
                f"{self.path} is not a readable CARMM content database ({error}); rebuild it with "
                "'carmm-desktop build-db' or reinstall the app"
            ) from None
        self.meta: dict[str, str] = {key: value for key, value in rows}
        found = self.meta.get("schema_version")
        if found != SCHEMA_VERSION:
            self.database.close()
            raise ContentDatabaseError(
                f"{self.path} has content schema {found!r}, this app reads {SCHEMA_VERSION!r}; "
                "rebuild it with 'carmm-desktop build-db'"
            )

    def close(self) -> None:
        self.database.close()

    @property
    def content_version(self) -> str:
        return self.meta.get("content_version", "unknown")

    def connect(self):
        return self.database.connect()

    # --- listing -------------------------------------------------------------------------------

    def list_entries(self, kind: str | None = None) -> list[EntrySummary]:
        """Entries sorted by kind order (as in the schema), then title."""
        query = f"SELECT {SUMMARY_COLUMNS} FROM entry"
        params: tuple[str, ...] = ()
        if kind is not None:
            query += " WHERE kind = ?"
            params = (kind,)
        with self.connect() as connection:
            rows = [EntrySummary(*row) for row in connection.execute(query, params)]
        kind_order = {name: index for index, name in enumerate(KINDS)}
        return sorted(rows, key=lambda e: (kind_order.get(e.kind, 99), e.title.casefold()))

    def counts_by_kind(self) -> dict[str, int]:
        with self.connect() as connection:
            rows = connection.execute("SELECT kind, count(*) FROM entry GROUP BY kind").all()
        found = dict(rows)
        return {name: found[name] for name in KINDS if name in found}

    def has_entry(self, entry_id: str) -> bool:
        with self.connect() as connection:
            return connection.execute("SELECT 1 FROM entry WHERE id = ?", (entry_id,)).first() is not None

    # --- one entry -----------------------------------------------------------------------------

    def get_entry(self, entry_id: str) -> EntryDetail:
        with self.connect() as connection:
            row = connection.execute("SELECT * FROM entry WHERE id = ?", (entry_id,)).first()
            if row is None:
                raise EntryNotFoundError(f"no entry with id '{entry_id}'")
            aliases = connection.execute(
                "SELECT alias FROM alias WHERE entry_id = ? ORDER BY position", (entry_id,)
            ).scalars()
            tags = connection.execute("SELECT tag FROM tag WHERE entry_id = ? ORDER BY position", (entry_id,)).scalars()
            attribute_rows = connection.execute(
                "SELECT name, value, value_html FROM attribute WHERE entry_id = ? ORDER BY position", (entry_id,)
            ).all()
            reference_rows = connection.execute(
                "SELECT key, citation, pmid, doi, nct, url FROM reference WHERE entry_id = ? ORDER BY position",
                (entry_id,),
            ).all()
            links = self._links(connection, entry_id)
        labels = dict(KINDS[row["kind"]].attributes) if row["kind"] in KINDS else {}
        return EntryDetail(
            id=row["id"],
            kind=row["kind"],
            title=row["title"],
            summary=row["summary"],
            status=row["status"],
            last_reviewed=row["last_reviewed"],
            body=row["body"],
            summary_html=row["summary_html"],
            body_html=row["body_html"],
            aliases=aliases,
            tags=tags,
            attributes=[Attribute(name, labels.get(name, name), value, html) for name, value, html in attribute_rows],
            links=links,
            references=[Reference(*reference) for reference in reference_rows],
        )

    def _links(self, connection: ReadConnection, entry_id: str) -> list[Link]:
        columns = ", ".join(f"e.{name}" for name in SUMMARY_COLUMNS.split(", "))
        outgoing = connection.execute(
            f"SELECT r.type, {columns} FROM relation r JOIN entry e ON e.id = r.target_id "
            "WHERE r.source_id = ? ORDER BY r.position",
            (entry_id,),
        ).all()
        incoming = connection.execute(
            f"SELECT r.type, {columns} FROM relation r JOIN entry e ON e.id = r.source_id "
            "WHERE r.target_id = ? ORDER BY e.kind, e.title",
            (entry_id,),
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
        from carmm_desktop.content.glossary import GlossaryTerm  # with its parser: not needed to start

        with self.connect() as connection:
            rows = connection.execute("SELECT abbreviation, expansion, entry_id FROM glossary ORDER BY match_key").all()
        return [GlossaryTerm(abbreviation, expansion, entry_id) for abbreviation, expansion, entry_id in rows]

    def all_entries(self) -> list[EntryDetail]:
        """Every entry in full, sorted by id (what `export` writes)."""
        with self.connect() as connection:
            ids = connection.execute("SELECT id FROM entry ORDER BY id").scalars()
        return [self.get_entry(entry_id) for entry_id in ids]
