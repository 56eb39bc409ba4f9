"""Plain records of the user data layer (no SQLAlchemy: the UI uses them before the notes DB opens).

Its error, `UserDataError`, lives in `carmm_desktop.errors`, which the first screen imports without this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from carmm_desktop.content.text import markdown_to_plain


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def normalise_tags(tags: Iterable[str]) -> list[str]:
    """Tags trimmed, without a leading '#', case kept, duplicates (case-insensitive) dropped, sorted."""
    seen: dict[str, str] = {}
    for tag in tags:
        cleaned = tag.strip().lstrip("#").strip()
        if cleaned and cleaned.casefold() not in seen:
            seen[cleaned.casefold()] = cleaned
    return sorted(seen.values(), key=str.casefold)


@dataclass(frozen=True)
class NoteRecord:
    id: int
    uid: str
    entry_id: str | None
    body: str
    created_at: str
    updated_at: str
    tags: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The first non-empty line, without Markdown heading marks: how lists name a note."""
        for line in self.body.splitlines():
            line = markdown_to_plain(line)
            if line:
                return line[:120]
        return "(empty note)"


@dataclass(frozen=True)
class NoteHit:
    note: NoteRecord
    snippet: str  # safe HTML with <b> around matches
