"""A read-only SQLite connection with a small result API (all, first, scalar, scalars).

The compiled content DB is written through SQLAlchemy's table models (compile.py), but the app only
reads it, and through the standard library: importing SQLAlchemy costs about 0.2 s of every start
and the reads are plain SQL. The same shapes as SQLAlchemy's results keep callers simple.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

try:
    # The C module that `sqlite3` wraps: the wrapper adds only date and time adapters, which these
    # reads never use, and its `datetime` import (~1.5 ms) would be the first frame's only one.
    import _sqlite3 as sqlite3
except ImportError:  # an interpreter that does not ship it separately
    import sqlite3

# What opening or reading a database raises; the same class as `sqlite3.Error`.
SQLiteError = sqlite3.Error
Params = Mapping[str, Any] | Sequence[Any]


class Result:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def all(self) -> list[sqlite3.Row]:
        return self._cursor.fetchall()

    def first(self) -> sqlite3.Row | None:
        return self._cursor.fetchone()

    def scalar(self) -> Any:
        row = self._cursor.fetchone()
        return row[0] if row is not None else None

    def scalars(self) -> list[Any]:
        return [row[0] for row in self._cursor.fetchall()]

    def __iter__(self) -> Iterator[sqlite3.Row]:
        return iter(self._cursor)


class ReadConnection:
    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    def execute(self, query: str, params: Params = ()) -> Result:
        return Result(self.raw.execute(query, params))

    exec_driver_sql = execute


def read_only_uri(path: Path) -> str:
    """SQLite URI opening `path` read-only and immutable (works from a read-only install folder)."""
    return f"file:{urllib.parse.quote(path.resolve().as_posix())}?mode=ro&immutable=1"


class ReadOnlyDatabase:
    """One shared read-only connection to a SQLite file (the app reads from the GUI thread only)."""

    def __init__(self, path: Path) -> None:
        self.raw = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
        self.raw.row_factory = sqlite3.Row
        self.raw.execute("PRAGMA query_only = ON")
        # The file never changes while open (immutable=1): map it rather than copy pages through
        # SQLite's small default cache, which a large corpus would thrash on every keystroke.
        self.raw.execute("PRAGMA mmap_size = 268435456")

    @contextmanager
    def connect(self) -> Iterator[ReadConnection]:
        yield ReadConnection(self.raw)

    def close(self) -> None:
        self.raw.close()
