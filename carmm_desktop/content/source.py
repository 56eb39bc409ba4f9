"""Reading content source files (`db/content/<kind>/<id>.md`) into plain `Entry` objects.

Parsing is strict about shape (types, required fields) and reports every problem with the file
name; cross-entry rules (duplicates, relations, citations) live in `validate.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carmm_desktop.content.repository import Reference
from carmm_desktop.errors import ContentError, ContentValidationError

FRONT_MATTER_FENCE = "+++"
REQUIRED_FIELDS = ("id", "kind", "title", "summary", "status", "last_reviewed")
OPTIONAL_FIELDS = ("aliases", "tags", "attributes", "relations", "references")
REFERENCE_FIELDS = ("key", "citation", "pmid", "doi", "nct", "url")


@dataclass(frozen=True)
class Relation:
    type: str
    to: str


@dataclass
class Entry:
    id: str
    kind: str
    title: str
    summary: str
    status: str
    last_reviewed: dt.date
    body: str
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    source_path: str = ""


def split_front_matter(text: str, path: str) -> tuple[str, str]:
    """Split `+++ toml +++ body`; the fences must be the first line and a later line of their own."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise ContentError(path, "must start with a '+++' line opening the TOML front matter")
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    raise ContentError(path, "front matter is not closed by a second '+++' line")


def _string_list(value: Any, name: str, path: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ContentError(path, f"'{name}' must be a list of non-empty strings")
    return [item.strip() for item in value]


def _table_list(value: Any, name: str, path: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ContentError(path, f"'{name}' must be written as [[{name}]] tables")
    return value


def _parse_references(raw: Any, path: str) -> list[Reference]:
    references = []
    for table in _table_list(raw, "references", path):
        unknown = sorted(set(table) - set(REFERENCE_FIELDS))
        if unknown:
            raise ContentError(path, f"reference has unknown field(s) {', '.join(unknown)}")
        values: dict[str, str] = {}
        for name, value in table.items():
            if not isinstance(value, str):
                raise ContentError(path, f"reference field '{name}' must be a string (quote numbers)")
            values[name] = value.strip()
        if not values.get("key"):
            raise ContentError(path, "a reference has no 'key'")
        if not values.get("citation"):
            raise ContentError(path, f"reference '{values['key']}' has no 'citation'")
        references.append(Reference(**values))
    return references


def _parse_relations(raw: Any, path: str) -> list[Relation]:
    relations = []
    for table in _table_list(raw, "relations", path):
        if set(table) != {"type", "to"} or not all(isinstance(v, str) for v in table.values()):
            raise ContentError(path, "each [[relations]] needs exactly a string 'type' and 'to'")
        relations.append(Relation(type=table["type"].strip(), to=table["to"].strip()))
    return relations


def parse_entry(text: str, path: str) -> Entry:
    """Parse one source file's text; `path` is used in messages (relative to the content root)."""
    front, body = split_front_matter(text, path)
    import tomllib  # parsing sources is for the compiler: kept off the app's start-up

    try:
        data = tomllib.loads(front)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path, f"front matter is not valid TOML ({error})") from None

    missing = [name for name in REQUIRED_FIELDS if name not in data]
    if missing:
        raise ContentError(path, f"missing required field(s): {', '.join(missing)}")
    unknown = sorted(set(data) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        raise ContentError(path, f"unknown field(s): {', '.join(unknown)}")
    for name in ("id", "kind", "title", "summary", "status"):
        if not isinstance(data[name], str) or not data[name].strip():
            raise ContentError(path, f"'{name}' must be a non-empty string")
    reviewed = data["last_reviewed"]
    if not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime):
        raise ContentError(path, "'last_reviewed' must be a TOML date such as 2026-11-24 (unquoted)")

    attributes = data.get("attributes", {})
    if not isinstance(attributes, dict):
        raise ContentError(path, "'attributes' must be a [attributes] table")
    for name, value in attributes.items():
        if not isinstance(value, str) or not value.strip():
            raise ContentError(path, f"attribute '{name}' must be a non-empty string")

    return Entry(
        id=data["id"].strip(),
        kind=data["kind"].strip(),
        title=data["title"].strip(),
        summary=data["summary"].strip(),
        status=data["status"].strip(),
        last_reviewed=reviewed,
        body=body.strip() + "\n",
        aliases=_string_list(data.get("aliases", []), "aliases", path),
        tags=_string_list(data.get("tags", []), "tags", path),
        attributes={name: value.strip() for name, value in attributes.items()},
        relations=_parse_relations(data.get("relations", []), path),
        references=_parse_references(data.get("references", []), path),
        source_path=path,
    )


def source_files(root: Path) -> list[Path]:
    """All entry files under `root`, in a stable order (the compiler's output depends on it)."""
    return sorted(root.glob("*/*.md"), key=lambda p: p.relative_to(root).as_posix())


def sources_digest(root: Path) -> str:
    """SHA-256 over every source file's relative path and bytes: the content's identity."""
    import hashlib

    digest = hashlib.sha256()
    extra = [root / "glossary.toml"] if (root / "glossary.toml").is_file() else []
    for path in [*source_files(root), *extra]:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_entries(root: Path) -> list[Entry]:
    """Parse every source file; collect all parse errors and raise them together."""
    if not root.is_dir():
        raise ContentValidationError([ContentError(str(root), "content folder not found")])
    entries: list[Entry] = []
    problems: list[ContentError] = []
    for path in source_files(root):
        relative = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
            entries.append(parse_entry(text, relative))
        except UnicodeDecodeError:
            problems.append(ContentError(relative, "is not UTF-8 text"))
        except ContentError as problem:
            problems.append(problem)
    if problems:
        raise ContentValidationError(problems)
    return entries
