"""A stand-in for the profile's UserStore that opens it on first use.

The main window shows before SQLAlchemy and Alembic are imported (about 0.2-0.4 s of start-up);
the store is opened just after the first frame, or earlier if anything asks for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class LazyUserStore:
    def __init__(self, path: Path) -> None:
        self._path = Path(path)
        self._store: Any = None

    @property
    def loaded(self) -> bool:
        return self._store is not None

    def load(self):
        if self._store is None:
            from carmm_desktop.userdata.store import UserStore

            self._store = UserStore.open(self._path)
        return self._store

    def __getattr__(self, name: str) -> Any:
        return getattr(self.load(), name)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
