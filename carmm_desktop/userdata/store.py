"""The user database of one profile: notes, bookmarks, history, saved comparisons.

What matters most here is that a note is never lost:
- every save is one transaction, in WAL mode with `synchronous=FULL`, so a killed process or a power
  cut keeps every committed save;
- an existing file is backed up (SQLite backup API) before any migration;
- a corrupt file is moved aside with a timestamp and a fresh one created (`recovered_from` says
  where the old one went; `notes import` can salvage from it);
- a folder that cannot be written (read-only stick, full disk) puts the store in memory
  (`degraded_reason` says why) and `try_persist()` writes everything back once it can;
- two app instances may share a profile: SQLite's locking with a busy timeout serialises writes.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select, text, update
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import StaticPool

from carmm_desktop import paths
from carmm_desktop.content.search import build_match, parse_query
from carmm_desktop.content.text import escape_html, spell_greek
from carmm_desktop.errors import UserDataError
from carmm_desktop.userdata.models import (
    BOOKMARKS,
    HISTORY,
    NOTE_TAGS,
    NOTES,
    SAVED_COMPARISONS,
    STUDY_CARDS,
    STUDY_REVIEWS,
)
from carmm_desktop.userdata.records import NoteHit, NoteRecord, normalise_tags, now_iso

TAGS = NOTE_TAGS
COMPARISONS = SAVED_COMPARISONS
BUSY_TIMEOUT_MS = 5000
HISTORY_LIMIT = 500


# The newest migration. Checked against the scripts by a test; lets a start-up with an up-to-date
# file skip importing Alembic (about 0.2 s) altogether.
HEAD_REVISION = "0003"


def alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    return config


def head_revision() -> str:
    """The head according to the migration scripts themselves."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.execute("PRAGMA foreign_keys = ON")
    dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if dbapi_connection.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        dbapi_connection.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit is on disk before save() returns, so a power cut cannot take it back.
        dbapi_connection.execute("PRAGMA synchronous = FULL")


def _engine_for(path: Path | None) -> Engine:
    engine = create_engine("sqlite://", poolclass=StaticPool) if path is None else create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    return engine


def sqlite_backup(source: Path | sqlite3.Connection, target: Path) -> Path:
    """Consistent copy through SQLite's backup API (a plain file copy is unsafe under WAL)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source_connection = source if isinstance(source, sqlite3.Connection) else sqlite3.connect(source)
    try:
        with sqlite3.connect(target) as destination:
            source_connection.backup(destination)
        destination.close()
    finally:
        if not isinstance(source, sqlite3.Connection):
            source_connection.close()
    return target


def _timestamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


class UserStore:
    """One profile's user DB. Create with `UserStore.open(path)`; pass it to whoever needs it."""

    # An open store is loaded; LazyUserStore answers the same question before it opens one, so the
    # window can tell whether touching the store would open the DB now.
    loaded = True

    def __init__(self, path: Path | None, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self.recovered_from: Path | None = None
        self.migration_backup: Path | None = None
        self.degraded_reason: str | None = None

    # --- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> UserStore:
        """Open (creating, migrating or recovering as needed) the user DB at `path`."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            store = cls._open_file(path)
            store._check_writable()
            return store
        except UserDataError:
            raise
        except (OSError, OperationalError) as error:
            return cls._open_in_memory(path, _describe(error))

    @classmethod
    def in_memory(cls) -> UserStore:
        store = cls(None, _engine_for(None))
        store._migrate(existing=False)
        return store

    @classmethod
    def _open_file(cls, path: Path) -> UserStore:
        recovered_from = None
        if path.exists():
            problem = _integrity_problem(path)
            if problem is not None:
                recovered_from = _move_aside(path, "corrupt")
        store = cls(path, _engine_for(path))
        store.recovered_from = recovered_from
        store._migrate(existing=path.exists() and path.stat().st_size > 0)
        return store

    @classmethod
    def _open_in_memory(cls, path: Path, reason: str) -> UserStore:
        """The folder cannot be written: work in memory from whatever can be read, tell the user."""
        store = cls(None, _engine_for(None))
        store.path = path
        store.degraded_reason = reason
        if path.is_file() and _integrity_problem(path) is None:
            with store.engine.connect() as connection:
                raw = connection.connection.dbapi_connection
                source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                try:
                    source.backup(raw)
                finally:
                    source.close()
        store._migrate(existing=True, backup=False)
        return store

    def _check_writable(self) -> None:
        with self.engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS _write_probe (x)")
            connection.exec_driver_sql("DROP TABLE _write_probe")

    def _migrate(self, *, existing: bool, backup: bool = True) -> None:
        head = HEAD_REVISION
        with self.engine.begin() as connection:
            current = _current_revision(connection)
            if current == head:
                return
            if current is None and existing and _has_user_tables(connection):
                raise UserDataError(f"{self.path} is not a CARMM notes database")
        if existing and backup and self.path is not None:
            self.migration_backup = sqlite_backup(
                self.path, self.path.parent / "backups" / f"notes-before-{head}-{_timestamp()}.sqlite"
            )
        from alembic import command

        config = alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def try_persist(self) -> bool:
        """In memory because the folder was not writable: write everything back if it now works."""
        if self.degraded_reason is None or self.path is None:
            return True
        file_engine = _engine_for(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Copy the in-memory DB over the file in one step (SQLite's backup API), then prove
            # that the file takes writes; any failure leaves the in-memory copy in charge.
            with file_engine.connect() as file_connection, self.engine.connect() as memory_connection:
                memory_connection.connection.dbapi_connection.backup(file_connection.connection.dbapi_connection)
            with file_engine.begin() as connection:
                connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS _write_probe (x)")
                connection.exec_driver_sql("DROP TABLE _write_probe")
        except (OSError, sqlite3.Error, OperationalError, DatabaseError):
            file_engine.dispose()
            return False
        self.engine.dispose()
        self.engine = file_engine
        self.degraded_reason = None
        return True

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One transaction; SQLite failures become a `UserDataError` with a clear reason."""
        try:
            with self.engine.begin() as connection:
                yield connection
        except (OperationalError, DatabaseError) as error:
            raise UserDataError(f"could not save to {self.path or 'memory'}: {_describe(error)}") from None

    # --- notes -----------------------------------------------------------------------------------

    def _record(self, connection: Connection, row) -> NoteRecord:
        tags = connection.execute(select(TAGS.c.tag).where(TAGS.c.note_id == row.id).order_by(TAGS.c.tag)).scalars()
        return NoteRecord(row.id, row.uid, row.entry_id, row.body, row.created_at, row.updated_at, list(tags))

    def create_note(
        self,
        body: str,
        *,
        entry_id: str | None = None,
        tags: Iterable[str] = (),
        uid: str | None = None,
        created_at: str | None = None,
        updated_at: str | None = None,
    ) -> NoteRecord:
        stamp = now_iso()
        with self._write() as connection:
            note_id = connection.execute(
                insert(NOTES).values(
                    uid=uid or uuid.uuid4().hex,
                    entry_id=entry_id,
                    body=body,
                    created_at=created_at or stamp,
                    updated_at=updated_at or created_at or stamp,
                )
            ).inserted_primary_key[0]
            self._set_tags(connection, note_id, tags)
            self._index(connection, note_id, body)
            row = connection.execute(select(NOTES).where(NOTES.c.id == note_id)).one()
            return self._record(connection, row)

    @staticmethod
    def _index(connection: Connection, note_id: int, body: str | None) -> None:
        """Keep notes_fts in step with one note, inside the caller's transaction."""
        connection.execute(text("DELETE FROM notes_fts WHERE rowid = :id"), {"id": note_id})
        if body is not None:
            connection.execute(
                text("INSERT INTO notes_fts(rowid, body) VALUES (:id, :body)"),
                {"id": note_id, "body": spell_greek(body)},
            )

    def _set_tags(self, connection: Connection, note_id: int, tags: Iterable[str]) -> None:
        connection.execute(delete(TAGS).where(TAGS.c.note_id == note_id))
        rows = [{"note_id": note_id, "tag": tag} for tag in normalise_tags(tags)]
        if rows:
            connection.execute(insert(TAGS), rows)

    def update_note(self, note_id: int, *, body: str | None = None, tags: Iterable[str] | None = None) -> NoteRecord:
        return self.replace_note(note_id, body=body, tags=tags, updated_at=now_iso())

    def replace_note(
        self, note_id: int, *, body: str | None, tags: Iterable[str] | None, updated_at: str
    ) -> NoteRecord:
        """Update a note with an explicit timestamp (import keeps the exported one)."""
        with self._write() as connection:
            values: dict[str, str] = {"updated_at": updated_at}
            if body is not None:
                values["body"] = body
            changed = connection.execute(update(NOTES).where(NOTES.c.id == note_id).values(**values)).rowcount
            if not changed:
                raise UserDataError(f"note {note_id} no longer exists")
            if tags is not None:
                self._set_tags(connection, note_id, tags)
            if body is not None:
                self._index(connection, note_id, body)
            row = connection.execute(select(NOTES).where(NOTES.c.id == note_id)).one()
            return self._record(connection, row)

    def delete_note(self, note_id: int) -> None:
        with self._write() as connection:
            connection.execute(delete(NOTES).where(NOTES.c.id == note_id))
            self._index(connection, note_id, None)

    def get_note(self, note_id: int) -> NoteRecord | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(NOTES).where(NOTES.c.id == note_id)).first()
            return self._record(connection, row) if row else None

    def list_notes(
        self, *, entry_id: str | None = None, tag: str | None = None, free_only: bool = False
    ) -> list[NoteRecord]:
        """Notes, most recently updated first, optionally of one entry, with one tag, or unattached."""
        query = select(NOTES).order_by(NOTES.c.updated_at.desc(), NOTES.c.id.desc())
        if entry_id is not None:
            query = query.where(NOTES.c.entry_id == entry_id)
        if free_only:
            query = query.where(NOTES.c.entry_id.is_(None))
        if tag is not None:
            query = query.where(
                NOTES.c.id.in_(select(TAGS.c.note_id).where(func.lower(TAGS.c.tag) == tag.strip().lstrip("#").lower()))
            )
        with self.engine.connect() as connection:
            return [self._record(connection, row) for row in connection.execute(query)]

    def tag_counts(self) -> list[tuple[str, int]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(TAGS.c.tag, func.count()).group_by(func.lower(TAGS.c.tag)).order_by(func.lower(TAGS.c.tag))
            ).all()
        return [(tag, count) for tag, count in rows]

    def entry_ids_with_notes(self) -> set[str]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(NOTES.c.entry_id).where(NOTES.c.entry_id.is_not(None)).distinct())
            return {entry_id for (entry_id,) in rows}

    def search_notes(self, raw: str, limit: int = 20) -> list[NoteHit]:
        """Full-text search over note bodies with the same forgiving syntax as the reference."""
        parsed = parse_query(raw)
        match = build_match(parsed)
        if match is None:
            return []
        sql = text(
            "SELECT n.id, snippet(notes_fts, 0, char(2), char(3), '…', 16) FROM notes_fts "
            "JOIN notes n ON n.id = notes_fts.rowid WHERE notes_fts MATCH :match ORDER BY rank LIMIT :limit"
        )
        hits = []
        with self.engine.connect() as connection:
            for note_id, snippet in connection.execute(sql, {"match": match, "limit": limit}).all():
                row = connection.execute(select(NOTES).where(NOTES.c.id == note_id)).one()
                safe = escape_html(snippet, quote=False).replace("\x02", "<b>").replace("\x03", "</b>")
                hits.append(NoteHit(self._record(connection, row), safe))
        return hits

    # --- bookmarks and history -------------------------------------------------------------------

    def set_bookmark(self, entry_id: str, on: bool) -> None:
        with self._write() as connection:
            connection.execute(delete(BOOKMARKS).where(BOOKMARKS.c.entry_id == entry_id))
            if on:
                connection.execute(insert(BOOKMARKS).values(entry_id=entry_id, created_at=now_iso()))

    def is_bookmarked(self, entry_id: str) -> bool:
        with self.engine.connect() as connection:
            return (
                connection.execute(select(BOOKMARKS.c.entry_id).where(BOOKMARKS.c.entry_id == entry_id)).first()
                is not None
            )

    def bookmarks(self) -> list[str]:
        with self.engine.connect() as connection:
            return list(
                connection.execute(select(BOOKMARKS.c.entry_id).order_by(BOOKMARKS.c.created_at.desc())).scalars()
            )

    def record_visit(self, entry_id: str) -> None:
        with self._write() as connection:
            connection.execute(insert(HISTORY).values(entry_id=entry_id, visited_at=now_iso()))
            connection.execute(
                delete(HISTORY).where(
                    HISTORY.c.id.not_in(select(HISTORY.c.id).order_by(HISTORY.c.id.desc()).limit(HISTORY_LIMIT))
                )
            )

    def recent_entries(self, limit: int = 20) -> list[str]:
        """Distinct entries, most recently visited first."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(HISTORY.c.entry_id, func.max(HISTORY.c.id).label("last"))
                .group_by(HISTORY.c.entry_id)
                .order_by(text("last DESC"))
                .limit(limit)
            ).all()
        return [entry_id for entry_id, _ in rows]

    # --- saved comparisons -----------------------------------------------------------------------

    def save_comparison(self, name: str, entry_ids: list[str]) -> None:
        name = name.strip()
        if not name:
            raise UserDataError("a saved comparison needs a name")
        stamp = now_iso()
        with self._write() as connection:
            existing = connection.execute(select(COMPARISONS.c.id).where(COMPARISONS.c.name == name)).first()
            if existing:
                connection.execute(
                    update(COMPARISONS)
                    .where(COMPARISONS.c.name == name)
                    .values(entry_ids=json.dumps(entry_ids), updated_at=stamp)
                )
            else:
                connection.execute(
                    insert(COMPARISONS).values(
                        name=name, entry_ids=json.dumps(entry_ids), created_at=stamp, updated_at=stamp
                    )
                )

    def comparisons(self) -> list[tuple[str, list[str]]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(COMPARISONS.c.name, COMPARISONS.c.entry_ids).order_by(COMPARISONS.c.name)
            ).all()
        return [(name, json.loads(ids)) for name, ids in rows]

    def delete_comparison(self, name: str) -> None:
        with self._write() as connection:
            connection.execute(delete(COMPARISONS).where(COMPARISONS.c.name == name))

    # --- study ------------------------------------------------------------------------------------

    def study_states(self) -> dict[str, tuple[str, str]]:
        """card id -> (scheduler state JSON, due ISO time) for every card ever reviewed."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(STUDY_CARDS.c.card_id, STUDY_CARDS.c.state, STUDY_CARDS.c.due)).all()
        return {card_id: (state, due) for card_id, state, due in rows}

    def record_review(self, card_id: str, state: str, due: str, rating: int, reviewed_at: str) -> None:
        """Store one review and the card's new state together (one transaction)."""
        with self._write() as connection:
            connection.execute(delete(STUDY_CARDS).where(STUDY_CARDS.c.card_id == card_id))
            connection.execute(
                insert(STUDY_CARDS).values(card_id=card_id, state=state, due=due, updated_at=reviewed_at)
            )
            connection.execute(insert(STUDY_REVIEWS).values(card_id=card_id, rating=rating, reviewed_at=reviewed_at))

    def review_log(self, since: str | None = None) -> list[tuple[str, int, str]]:
        """(card id, rating, reviewed at) oldest first, optionally only from `since` on."""
        query = select(STUDY_REVIEWS.c.card_id, STUDY_REVIEWS.c.rating, STUDY_REVIEWS.c.reviewed_at).order_by(
            STUDY_REVIEWS.c.reviewed_at, STUDY_REVIEWS.c.id
        )
        if since is not None:
            query = query.where(STUDY_REVIEWS.c.reviewed_at >= since)
        with self.engine.connect() as connection:
            return [(card_id, rating, at) for card_id, rating, at in connection.execute(query)]

    def merge_study(self, states: dict[str, tuple[str, str, str]], reviews: list[tuple[str, int, str]]) -> int:
        """Import study data: reviews not yet present are added; a card state is replaced when the
        imported one is newer. Returns the number of reviews added."""
        existing_reviews = set(self.review_log())
        current = {card_id: updated for card_id, updated in self._study_updated().items()}
        added = 0
        with self._write() as connection:
            for card_id, rating, at in reviews:
                if (card_id, rating, at) not in existing_reviews:
                    connection.execute(insert(STUDY_REVIEWS).values(card_id=card_id, rating=rating, reviewed_at=at))
                    added += 1
            for card_id, (state, due, updated) in states.items():
                if updated > current.get(card_id, ""):
                    connection.execute(delete(STUDY_CARDS).where(STUDY_CARDS.c.card_id == card_id))
                    connection.execute(
                        insert(STUDY_CARDS).values(card_id=card_id, state=state, due=due, updated_at=updated)
                    )
        return added

    def _study_updated(self) -> dict[str, str]:
        with self.engine.connect() as connection:
            return dict(connection.execute(select(STUDY_CARDS.c.card_id, STUDY_CARDS.c.updated_at)).all())

    def study_export(self) -> dict[str, object]:
        with self.engine.connect() as connection:
            cards = connection.execute(select(STUDY_CARDS).order_by(STUDY_CARDS.c.card_id)).all()
        return {
            "cards": [
                {"card_id": c.card_id, "state": c.state, "due": c.due, "updated_at": c.updated_at} for c in cards
            ],
            "reviews": [{"card_id": c, "rating": r, "reviewed_at": at} for c, r, at in self.review_log()],
        }

    # --- backup ----------------------------------------------------------------------------------

    def backup(self, target: Path | None = None) -> Path:
        """A consistent copy of the whole DB (default: the profile's backups folder)."""
        if target is None:
            if self.path is None:
                raise UserDataError("an in-memory profile has no folder to back up into")
            target = self.path.parent / "backups" / f"notes-{_timestamp()}.sqlite"
        try:
            with self.engine.connect() as connection:
                return sqlite_backup(connection.connection.dbapi_connection, Path(target))
        except (OSError, sqlite3.Error) as error:
            raise UserDataError(f"could not write the backup {target}: {_describe(error)}") from None


def _describe(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    if isinstance(original, OSError) and original.strerror:
        return f"{original.strerror} ({original.filename})" if original.filename else original.strerror
    return str(original).splitlines()[0]


def _integrity_problem(path: Path) -> str | None:
    """None when `path` opens as a SQLite DB and passes quick_check; else the reason."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as error:
        return str(error)
    return None if result and result[0] == "ok" else f"integrity check failed: {result}"


def _move_aside(path: Path, label: str) -> Path:
    """Rename `path` (and its WAL/SHM files) to `<name>.<label>-<timestamp>`; return the new path."""
    target = path.with_name(f"{path.name}.{label}-{_timestamp()}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{label}-{_timestamp()}-{counter}")
        counter += 1
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    return target


def _current_revision(connection: Connection) -> str | None:
    has_table = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).first()
    if not has_table:
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _has_user_tables(connection: Connection) -> bool:
    rows = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars().all()
    return any(not name.startswith("sqlite_") for name in rows)
