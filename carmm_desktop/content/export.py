"""The public export format (JSON) and the Markdown text of one entry.

`export_document` is a public interface (`carmm-desktop export --format json`): its keys and
shapes must stay stable. Tests pin them.
"""

from __future__ import annotations

from typing import Any

from carmm_desktop.content.repository import ContentRepository, EntryDetail
from carmm_desktop.content.schema import KINDS
from carmm_desktop.render.entry_html import DISCLAIMER, reference_links

EXPORT_REFERENCE_KEYS = ("key", "citation", "pmid", "doi", "nct", "url")


def entry_to_export(entry: EntryDetail) -> dict[str, Any]:
    return {
        "id": entry.id,
        "kind": entry.kind,
        "title": entry.title,
        "aliases": list(entry.aliases),
        "summary": entry.summary,
        "status": entry.status,
        "last_reviewed": entry.last_reviewed,
        "tags": list(entry.tags),
        "attributes": {attribute.name: attribute.value for attribute in entry.attributes},
        "relations": [{"type": link.type, "to": link.entry.id} for link in entry.links if link.outgoing],
        "references": [
            {name: getattr(reference, name) for name in EXPORT_REFERENCE_KEYS} for reference in entry.references
        ],
        "body": entry.body,
    }


def export_document(repository: ContentRepository) -> dict[str, Any]:
    return {
        "content_version": repository.content_version,
        "entries": [entry_to_export(entry) for entry in repository.all_entries()],
    }


def entry_to_markdown(entry: EntryDetail) -> str:
    """The entry as readable Markdown text (what `carmm-desktop show ID` prints)."""
    kind_label = KINDS[entry.kind].label if entry.kind in KINDS else entry.kind
    lines = [
        f"# {entry.title}",
        "",
        f"*{kind_label} · {entry.status} · last reviewed {entry.last_reviewed} · id `{entry.id}`*",
        "",
    ]
    if entry.aliases:
        lines += [f"Also: {', '.join(entry.aliases)}", ""]
    lines += [entry.summary, ""]
    if entry.attributes:
        lines += ["## Key facts", ""]
        lines += [f"- **{attribute.label}:** {attribute.value}" for attribute in entry.attributes]
        lines.append("")
    lines += [entry.body.rstrip(), ""]
    if entry.links:
        lines += ["## Related entries", ""]
        lines += [f"- {link.label}: {link.entry.title} (`{link.entry.id}`)" for link in entry.links]
        lines.append("")
    if entry.references:
        lines += ["## References", ""]
        for number, reference in enumerate(entry.references, start=1):
            locators = " ".join(url for _, url in reference_links(reference))
            lines.append(f"{number}. [@{reference.key}] {reference.citation} {locators}".rstrip())
        lines.append("")
    lines += ["---", DISCLAIMER, ""]
    return "\n".join(lines)
