"""Rules across the whole corpus: every problem is reported with the file it is in.

The compiler refuses to build while any rule fails, so the app never ships a dangling link, an
uncited number's key or an entry with no review date.
"""

from __future__ import annotations

import re

from carmm_desktop.content import text
from carmm_desktop.content.schema import KINDS, REFERENCE_LOCATORS, RELATION_TYPES
from carmm_desktop.content.source import Entry
from carmm_desktop.content.sources import url_problem
from carmm_desktop.errors import ContentError, ContentValidationError

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A clinical figure: a number with a unit that makes it a result, a rate, a dose or a time.
CLINICAL_NUMBER_RE = re.compile(
    r"\d+(?:[.,·]\d+)?\s*(?:%|per ?cent|months?\b|mo\b|years?\b|weeks?\b|days?\b|patients\b|mg\b|µg\b|"
    r"×\s*10|x\s*10\b)",
    re.IGNORECASE,
)
ENTRY_LINK_RE = re.compile(r"carmm://entry/([^\s)\"'>]+)")
NCT_RE = re.compile(r"^NCT\d{8}$")
PMID_RE = re.compile(r"^\d{1,9}$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")


def uncited_figures(markdown_text: str) -> list[str]:
    """Sentences (or list items, table rows) that state a clinical figure but cite nothing."""
    found = []
    body = re.sub(r"^#{1,6} .*$", "", markdown_text, flags=re.MULTILINE)
    for block in re.split(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+\.|\|) )", body):
        for sentence in re.split(r"(?<=[.;!?])\s+(?=[A-Z(*])", block):
            if CLINICAL_NUMBER_RE.search(sentence) and not text.CITATION_RE.search(sentence):
                found.append(" ".join(sentence.split())[:100])
    return found


def _entry_problems(entry: Entry) -> list[str]:
    """Rules that need only the entry itself."""
    problems: list[str] = []
    if not ID_RE.match(entry.id):
        problems.append(f"id '{entry.id}' must be a lowercase slug (letters, digits, single hyphens)")
    folder, _, filename = entry.source_path.rpartition("/")
    if filename and filename != f"{entry.id}.md":
        problems.append(f"file name must be '{entry.id}.md' to match the id")
    kind = KINDS.get(entry.kind)
    if kind is None:
        problems.append(f"unknown kind '{entry.kind}' (known: {', '.join(KINDS)})")
        return problems
    if folder and folder != entry.kind:
        problems.append(f"kind '{entry.kind}' does not match its folder '{folder}/'")
    if entry.status not in kind.statuses:
        problems.append(
            f"status '{entry.status}' is not allowed for kind '{entry.kind}' (allowed: {', '.join(kind.statuses)})"
        )
    for name in entry.attributes:
        if name not in kind.attribute_names:
            allowed = ", ".join(kind.attribute_names) or "none"
            problems.append(f"unknown attribute '{name}' for kind '{entry.kind}' (allowed: {allowed})")

    reference_keys: set[str] = set()
    for reference in entry.references:
        if reference.key in reference_keys:
            problems.append(f"reference key '{reference.key}' is defined twice")
        reference_keys.add(reference.key)
        if not any(getattr(reference, name) for name in REFERENCE_LOCATORS):
            problems.append(f"reference '{reference.key}' has none of pmid, doi, nct, url")
        if reference.pmid and not PMID_RE.match(reference.pmid):
            problems.append(f"reference '{reference.key}' pmid '{reference.pmid}' is not a number")
        if reference.nct and not NCT_RE.match(reference.nct):
            problems.append(f"reference '{reference.key}' nct '{reference.nct}' is not NCT + 8 digits")
        if reference.doi and not DOI_RE.match(reference.doi):
            problems.append(f"reference '{reference.key}' doi '{reference.doi}' is not a DOI (10.xxxx/...)")
        if reference.url:
            reason = url_problem(reference.url)
            if reason:
                problems.append(f"reference '{reference.key}' url {reason}")

    cited: list[str] = text.cited_keys(entry.summary) + text.cited_keys(entry.body)
    for value in entry.attributes.values():
        cited += text.cited_keys(value)
    for key in dict.fromkeys(cited):
        if key not in reference_keys:
            problems.append(f"cites [@{key}] but has no reference with that key")
    for key in sorted(reference_keys - set(cited)):
        problems.append(f"reference '{key}' is never cited")

    for where, value in [("summary", entry.summary), ("body", entry.body)] + [
        (f"attribute '{name}'", value) for name, value in entry.attributes.items()
    ]:
        for sentence in uncited_figures(value):
            problems.append(f'{where} states a figure without a [@key] citation: "{sentence}"')

    for relation in entry.relations:
        if relation.type not in RELATION_TYPES:
            problems.append(f"unknown relation type '{relation.type}' (known: {', '.join(RELATION_TYPES)})")
        if relation.to == entry.id:
            problems.append(f"relation '{relation.type}' points at the entry itself")
    return problems


def validate(entries: list[Entry]) -> None:
    """Raise `ContentValidationError` listing every problem in the corpus, or return quietly."""
    problems: list[ContentError] = []
    for entry in entries:
        problems += [ContentError(entry.source_path, message) for message in _entry_problems(entry)]

    by_id: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in by_id:
            problems.append(
                ContentError(entry.source_path, f"duplicate id '{entry.id}' (also in {by_id[entry.id].source_path})")
            )
        else:
            by_id[entry.id] = entry

    # Names must resolve to one entry: a typed alias that matched two entries would be ambiguous.
    name_owner: dict[str, Entry] = {}
    for entry in entries:
        for name in dict.fromkeys([entry.id, entry.title, *entry.aliases]):
            name_key = text.key(name)
            if not name_key:
                problems.append(ContentError(entry.source_path, f"name '{name}' has no letters or digits"))
                continue
            owner = name_owner.setdefault(name_key, entry)
            if owner is not entry:
                problems.append(
                    ContentError(
                        entry.source_path,
                        f"duplicate alias '{name}': already a name of '{owner.id}' ({owner.source_path})",
                    )
                )

    for entry in entries:
        for target in dict.fromkeys(ENTRY_LINK_RE.findall(entry.summary + "\n" + entry.body)):
            if target not in by_id:
                problems.append(ContentError(entry.source_path, f"links to missing entry 'carmm://entry/{target}'"))
        seen: set[tuple[str, str]] = set()
        for relation in entry.relations:
            if (relation.type, relation.to) in seen:
                problems.append(
                    ContentError(entry.source_path, f"relation '{relation.type}' -> '{relation.to}' is repeated")
                )
            seen.add((relation.type, relation.to))
            if relation.to not in by_id and relation.to != entry.id:
                problems.append(
                    ContentError(entry.source_path, f"relation '{relation.type}' points to missing id '{relation.to}'")
                )
    if problems:
        raise ContentValidationError(problems)
