"""Export and import of notes: a folder of Markdown files, one JSON file, or a salvaged user DB.

Export is deterministic (same notes, same bytes) and import merges by the note's `uid`: importing
the same export twice adds nothing, and a newer copy of a note replaces an older one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carmm_desktop.userdata.store import NoteRecord, UserDataError, UserStore, normalise_tags

EXPORT_FORMAT = "carmm-notes"
EXPORT_VERSION = 1
FENCE = "+++"


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] | None = None

    def summary(self) -> str:
        text = f"{self.added} added, {self.updated} updated, {self.unchanged} already present"
        if self.problems:
            text += f", {len(self.problems)} skipped"
        return text


def _toml_string(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def note_filename(note: NoteRecord) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", note.title.lower()).strip("-")[:40] or "note"
    return f"{slug}-{note.uid[:8]}.md"


def note_to_markdown(note: NoteRecord) -> str:
    lines = [FENCE, f"uid = {_toml_string(note.uid)}"]
    if note.entry_id:
        lines.append(f"entry_id = {_toml_string(note.entry_id)}")
    lines.append("tags = [" + ", ".join(_toml_string(tag) for tag in note.tags) + "]")
    lines += [f"created_at = {_toml_string(note.created_at)}", f"updated_at = {_toml_string(note.updated_at)}", FENCE]
    return "\n".join(lines) + "\n" + note.body


def note_to_dict(note: NoteRecord) -> dict[str, Any]:
    return {
        "uid": note.uid,
        "entry_id": note.entry_id,
        "tags": list(note.tags),
        "created_at": note.created_at,
        "updated_at": note.updated_at,
        "body": note.body,
    }


def export_markdown(store: UserStore, folder: Path) -> list[Path]:
    """Write every note as `<title-slug>-<uid>.md` into `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for note in sorted(store.list_notes(), key=lambda n: n.uid):
        path = folder / note_filename(note)
        path.write_bytes(note_to_markdown(note).encode("utf-8"))
        written.append(path)
    return written


def export_json(store: UserStore, path: Path) -> int:
    notes = sorted(store.list_notes(), key=lambda n: n.uid)
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "notes": [note_to_dict(note) for note in notes],
        "study": store.study_export(),
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return len(notes)


def parse_note_markdown(text: str, name: str) -> dict[str, Any]:
    if not text.startswith(FENCE + "\n"):
        raise UserDataError(f"{name}: not a CARMM note (no '+++' front matter)")
    end = text.find("\n" + FENCE + "\n", len(FENCE))
    if end < 0:
        raise UserDataError(f"{name}: front matter is not closed")
    try:
        meta = tomllib.loads(text[len(FENCE) + 1 : end])
    except tomllib.TOMLDecodeError as error:
        raise UserDataError(f"{name}: front matter is not valid TOML ({error})") from None
    meta["body"] = text[end + len(FENCE) + 2 :]
    return meta


def _validated(raw: dict[str, Any], name: str) -> dict[str, Any]:
    uid = raw.get("uid")
    if not isinstance(uid, str) or not re.fullmatch(r"[0-9a-f]{32}", uid):
        raise UserDataError(f"{name}: missing or malformed uid")
    body = raw.get("body", "")
    tags = raw.get("tags", [])
    entry_id = raw.get("entry_id")
    if not isinstance(body, str) or not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise UserDataError(f"{name}: body must be text and tags a list of text")
    if entry_id is not None and not isinstance(entry_id, str):
        raise UserDataError(f"{name}: entry_id must be text")
    created = raw.get("created_at")
    updated = raw.get("updated_at") or created
    if not isinstance(created, str) or not isinstance(updated, str):
        raise UserDataError(f"{name}: created_at and updated_at must be ISO timestamps")
    return {
        "uid": uid,
        "entry_id": entry_id or None,
        "tags": normalise_tags(tags),
        "body": body,
        "created_at": created,
        "updated_at": updated,
    }


def _read_study(path: Path) -> dict | None:
    """The study section of a JSON export, if `path` is one."""
    if not path.is_file() or path.suffix.lower() != ".json":
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    study = document.get("study") if isinstance(document, dict) else None
    return study if isinstance(study, dict) else None


def _read_notes(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Notes from a Markdown folder or file, a JSON export, or a (possibly damaged) user DB."""
    problems: list[str] = []
    notes: list[dict[str, Any]] = []
    if path.is_dir():
        for file in sorted(path.glob("*.md")):
            try:
                notes.append(_validated(parse_note_markdown(file.read_text(encoding="utf-8"), file.name), file.name))
            except (UserDataError, UnicodeDecodeError, OSError) as error:
                problems.append(str(error))
        return notes, problems
    if not path.is_file():
        raise UserDataError(f"{path} does not exist")
    head = path.read_bytes()[:16]
    if head.startswith(b"SQLite format 3"):
        return _read_database(path)
    if path.suffix.lower() == ".md":
        return [_validated(parse_note_markdown(path.read_text(encoding="utf-8"), path.name), path.name)], problems
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UserDataError(f"{path}: not a notes export (Markdown folder, JSON or notes database): {error}") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise UserDataError(f"{path}: not a CARMM notes export")

    for index, raw in enumerate(document.get("notes", [])):
        try:
            notes.append(_validated(raw, f"{path.name} note {index + 1}"))
        except UserDataError as error:
            problems.append(str(error))
    return notes, problems


def _read_database(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Salvage notes from a user DB, row by row, so one damaged page does not lose the rest."""
    problems: list[str] = []
    notes: list[dict[str, Any]] = []
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        ids = [row[0] for row in connection.execute("SELECT id FROM notes ORDER BY id")]
    except sqlite3.Error as error:
        raise UserDataError(f"{path}: cannot read notes from this database ({error})") from None
    for note_id in ids:
        try:
            uid, entry_id, body, created, updated = connection.execute(
                "SELECT uid, entry_id, body, created_at, updated_at FROM notes WHERE id = ?", (note_id,)
            ).fetchone()
            tags = [row[0] for row in connection.execute("SELECT tag FROM note_tags WHERE note_id = ?", (note_id,))]
            raw = {
                "uid": uid,
                "entry_id": entry_id,
                "body": body,
                "tags": tags,
                "created_at": created,
                "updated_at": updated,
            }
            notes.append(_validated(raw, f"{path.name} note {note_id}"))
        except (sqlite3.Error, TypeError, UserDataError) as error:
            problems.append(f"{path.name} note {note_id}: {error}")
    connection.close()
    return notes, problems


def _import_study(store: UserStore, study: dict) -> int:
    try:
        states = {c["card_id"]: (c["state"], c["due"], c["updated_at"]) for c in study.get("cards", [])}
        reviews = [(r["card_id"], int(r["rating"]), r["reviewed_at"]) for r in study.get("reviews", [])]
    except (KeyError, TypeError, ValueError):
        raise UserDataError("the study section of this export is damaged") from None
    return store.merge_study(states, reviews)


def import_notes(store: UserStore, path: Path) -> ImportReport:
    """Merge notes (and study history, from a JSON export) into `store`; a newer copy wins."""
    incoming, problems = _read_notes(Path(path))
    study = _read_study(Path(path))
    if study is not None:
        _import_study(store, study)
    existing = {note.uid: note for note in store.list_notes()}
    report = ImportReport(problems=problems)
    for note in incoming:
        current = existing.get(note["uid"])
        if current is None:
            store.create_note(
                note["body"],
                entry_id=note["entry_id"],
                tags=note["tags"],
                uid=note["uid"],
                created_at=note["created_at"],
                updated_at=note["updated_at"],
            )
            report.added += 1
        elif note["updated_at"] > current.updated_at and (note["body"] != current.body or note["tags"] != current.tags):
            store.replace_note(current.id, body=note["body"], tags=note["tags"], updated_at=note["updated_at"])
            report.updated += 1
        else:
            report.unchanged += 1
    return report
