"""The glossary: abbreviations used in the content, what they stand for and (optionally) the entry
that explains them. Search expands a typed abbreviation to its meaning, so `MNT` finds entries that
only ever say "movement and neurocognitive toxicity"."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from carmm_desktop.content import text
from carmm_desktop.errors import ContentError

GLOSSARY_FILE = "glossary.toml"


class GlossaryTerm(NamedTuple):
    abbreviation: str
    expansion: str
    entry_id: str | None = None


def load_glossary(source_root: Path) -> list[GlossaryTerm]:
    """Terms from `<content root>/glossary.toml` (none if the file is absent)."""
    path = source_root / GLOSSARY_FILE
    if not path.is_file():
        return []
    import tomllib  # reading the source glossary is for the compiler, not the app

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ContentError(GLOSSARY_FILE, f"is not valid TOML ({error})") from None
    terms = []
    for index, raw in enumerate(data.get("term", []), start=1):
        if not isinstance(raw, dict) or set(raw) - {"abbr", "expansion", "entry"}:
            raise ContentError(GLOSSARY_FILE, f"term {index}: only abbr, expansion and entry are allowed")
        abbreviation, expansion, entry = raw.get("abbr"), raw.get("expansion"), raw.get("entry")
        if not isinstance(abbreviation, str) or not text.key(abbreviation):
            raise ContentError(GLOSSARY_FILE, f"term {index}: 'abbr' must be a non-empty string")
        if not isinstance(expansion, str) or not text.words(expansion):
            raise ContentError(GLOSSARY_FILE, f"term {index} ({abbreviation}): 'expansion' must be text")
        if entry is not None and not isinstance(entry, str):
            raise ContentError(GLOSSARY_FILE, f"term {index} ({abbreviation}): 'entry' must be an entry id")
        terms.append(GlossaryTerm(abbreviation.strip(), expansion.strip(), entry))
    return terms


def glossary_problems(terms: list[GlossaryTerm], entry_ids: set[str]) -> list[ContentError]:
    problems = []
    seen: dict[str, str] = {}
    for term in terms:
        key = text.key(term.abbreviation)
        if key in seen:
            problems.append(ContentError(GLOSSARY_FILE, f"'{term.abbreviation}' is defined twice"))
        seen[key] = term.abbreviation
        if term.entry_id is not None and term.entry_id not in entry_ids:
            problems.append(
                ContentError(GLOSSARY_FILE, f"'{term.abbreviation}' points to missing entry '{term.entry_id}'")
            )
    return problems
