"""Side-by-side comparison of 2 to 6 entries (no Qt): the table, and its text, CSV and HTML forms.

One column per entry, one row per attribute of their kind(s) — the union when kinds are mixed, in
one section per kind — each cell with its citations resolved to references, rows whose values
differ flagged, and the relations the entries share or not (e.g. "Targets: BCMA" for both).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from carmm_desktop.content import text as textutil
from carmm_desktop.content.repository import ContentRepository, EntryDetail, Reference
from carmm_desktop.content.schema import KINDS
from carmm_desktop.errors import CarmmError, EntryNotFoundError

MIN_COLUMNS, MAX_COLUMNS = 2, 6
NOT_REPORTED = "not reported"


class ComparisonError(CarmmError):
    """The entries asked for cannot be compared (too few, too many, unknown, repeated)."""


@dataclass(frozen=True)
class Cell:
    value: str  # as written in the source, with [@key] citations; NOT_REPORTED when absent
    references: tuple[Reference, ...] = ()

    @property
    def reported(self) -> bool:
        return self.value != NOT_REPORTED

    @property
    def plain(self) -> str:
        """The value without citation markers or Markdown (for CSV and text)."""
        return textutil.markdown_to_plain(self.value)


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    cells: tuple[Cell, ...]

    @property
    def differs(self) -> bool:
        """True when the columns do not all say the same (citations and spacing ignored)."""
        return len({textutil.fold(cell.plain) for cell in self.cells}) > 1


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class SharedRelation:
    label: str
    target_id: str
    target_title: str
    present: tuple[bool, ...]

    @property
    def shared_by_all(self) -> bool:
        return all(self.present)


@dataclass
class Comparison:
    entries: list[EntryDetail]
    sections: list[Section]
    relations: list[SharedRelation]
    content_version: str
    notes: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return [entry.id for entry in self.entries]

    def rows(self, *, only_differences: bool = False) -> list[tuple[Section, Row]]:
        return [
            (section, row) for section in self.sections for row in section.rows if row.differs or not only_differences
        ]


def _cell(entry: EntryDetail, name: str) -> Cell:
    values = {attribute.name: attribute.value for attribute in entry.attributes}
    if name not in values:
        return Cell(NOT_REPORTED)
    by_key = {reference.key: reference for reference in entry.references}
    cited = [by_key[key] for key in dict.fromkeys(textutil.cited_keys(values[name])) if key in by_key]
    return Cell(values[name], tuple(cited))


def build_comparison(repository: ContentRepository, entry_ids: list[str]) -> Comparison:
    """The comparison table for 2-6 distinct entry ids, in the order given."""
    if len(entry_ids) < MIN_COLUMNS:
        raise ComparisonError(f"compare needs at least {MIN_COLUMNS} entries (got {len(entry_ids)})")
    if len(entry_ids) > MAX_COLUMNS:
        raise ComparisonError(f"compare takes at most {MAX_COLUMNS} entries (got {len(entry_ids)})")
    repeated = sorted({entry_id for entry_id in entry_ids if entry_ids.count(entry_id) > 1})
    if repeated:
        raise ComparisonError(f"each entry can be compared once; repeated: {', '.join(repeated)}")
    entries = []
    for entry_id in entry_ids:
        try:
            entries.append(repository.get_entry(entry_id))
        except EntryNotFoundError:
            raise ComparisonError(f"no entry with id '{entry_id}' (see 'carmm-desktop search')") from None

    kinds = list(dict.fromkeys(entry.kind for entry in entries))
    sections = []
    for kind in kinds:
        schema = KINDS[kind]
        rows = tuple(Row(name, label, tuple(_cell(e, name) for e in entries)) for name, label in schema.attributes)
        title = schema.label if len(kinds) == 1 else f"{schema.label} attributes"
        sections.append(Section(title, rows))
    general = Section(
        "General",
        (
            Row("kind", "Kind", tuple(Cell(KINDS[e.kind].label) for e in entries)),
            Row("status", "Status", tuple(Cell(e.status) for e in entries)),
            Row("last_reviewed", "Last reviewed", tuple(Cell(e.last_reviewed) for e in entries)),
        ),
    )
    notes = []
    if len(kinds) > 1:
        notes.append("Entries of different kinds: attributes that belong to another kind show as 'not reported'.")
    return Comparison(entries, [general, *sections], _shared_relations(entries), repository.content_version, notes)


def _shared_relations(entries: list[EntryDetail]) -> list[SharedRelation]:
    seen: dict[tuple[str, str], SharedRelation] = {}
    for column, entry in enumerate(entries):
        for link in entry.links:
            key = (link.label, link.entry.id)
            if link.entry.id in {e.id for e in entries}:
                continue  # a relation between the compared entries themselves is not a shared trait
            current = seen.get(key)
            present = list(current.present) if current else [False] * len(entries)
            present[column] = True
            seen[key] = SharedRelation(link.label, link.entry.id, link.entry.title, tuple(present))
    return sorted(seen.values(), key=lambda r: (not r.shared_by_all, r.label, r.target_title.casefold()))


# --- output forms ------------------------------------------------------------------------------------


def to_text(comparison: Comparison, *, only_differences: bool = False) -> str:
    """A plain-text table for the terminal: one block per row, one line per entry."""
    titles = [entry.title for entry in comparison.entries]
    lines = ["Comparing: " + " | ".join(titles), ""]
    for section, row in comparison.rows(only_differences=only_differences):
        marker = " *" if row.differs else ""
        lines.append(f"[{section.title}] {row.label}{marker}")
        for title, cell in zip(titles, row.cells, strict=True):
            lines.append(f"  {title}: {cell.plain}")
    if comparison.relations:
        lines += ["", "Relations (x = has it):"]
        for relation in comparison.relations:
            marks = " ".join("x" if present else "-" for present in relation.present)
            lines.append(f"  {marks}  {relation.label}: {relation.target_title}")
    lines += ["", "* values differ.", f"Content version {comparison.content_version}."]
    return "\n".join(lines) + "\n"


def to_csv(comparison: Comparison, *, only_differences: bool = False) -> str:
    """CSV: section, attribute, one column per entry, differs; then each column's references."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "attribute", *[entry.title for entry in comparison.entries], "differs"])
    for section, row in comparison.rows(only_differences=only_differences):
        writer.writerow([section.title, row.label, *[cell.plain for cell in row.cells], "yes" if row.differs else "no"])
    for relation in comparison.relations:
        writer.writerow(
            [
                "Relations",
                f"{relation.label}: {relation.target_title}",
                *["yes" if p else "no" for p in relation.present],
                "no" if relation.shared_by_all or not any(relation.present) else "yes",
            ]
        )
    writer.writerow([])
    writer.writerow(["references", "key", "citation", "PMID", "DOI", "NCT", "URL", "entry"])
    for entry, references in cited_references(comparison):
        for reference in references:
            writer.writerow(
                [
                    "",
                    reference.key,
                    reference.citation,
                    reference.pmid,
                    reference.doi,
                    reference.nct,
                    reference.url,
                    entry.title,
                ]
            )
    writer.writerow([])
    writer.writerow([f"CARMM Desktop comparison; content version {comparison.content_version}"])
    return buffer.getvalue()


def cited_references(comparison: Comparison) -> list[tuple[EntryDetail, list[Reference]]]:
    """For each entry, the references its compared values cite, in first-cited order."""
    result = []
    for column, entry in enumerate(comparison.entries):
        seen: dict[str, Reference] = {}
        for _section, row in comparison.rows():
            for reference in row.cells[column].references:
                seen.setdefault(reference.key, reference)
        result.append((entry, list(seen.values())))
    return result


def to_html(comparison: Comparison, *, only_differences: bool = False, theme=None) -> str:
    """A self-contained HTML page (also what PDF and print use): numbered citations per cell."""
    from carmm_desktop.render.entry_html import LIGHT, entry_url, reference_links
    from carmm_desktop.render.markdown_html import render_inline

    theme = theme or LIGHT
    numbers: dict[tuple[str, str], int] = {}
    footnotes: list[str] = []
    for entry, references in cited_references(comparison):
        for reference in references:
            numbers[(entry.id, reference.key)] = len(numbers) + 1
            links = " · ".join(
                f'<a href="{textutil.escape_html(url, quote=True)}">{textutil.escape_html(label)}</a>'
                for label, url in reference_links(reference)
            )
            footnotes.append(f"<li>{textutil.escape_html(reference.citation)} {links}</li>")

    head_cells = "".join(
        f'<th><a href="{entry_url(entry.id)}">{textutil.escape_html(entry.title)}</a></th>'
        for entry in comparison.entries
    )
    body_rows = []
    current_section = None
    width = len(comparison.entries) + 1
    for section, row in comparison.rows(only_differences=only_differences):
        if section.title != current_section:
            current_section = section.title
            body_rows.append(
                f'<tr><td colspan="{width}" class="section"><b>{textutil.escape_html(section.title)}</b></td></tr>'
            )
        cells = []
        for entry, cell in zip(comparison.entries, row.cells, strict=True):
            if cell.reported:
                rendered = render_inline(cell.value, lambda key, e=entry.id: numbers.get((e, key)))
            else:
                rendered = f'<span class="muted">{NOT_REPORTED}</span>'
            cells.append(f"<td>{rendered}</td>")
        style = f' style="background-color:{theme.header_bg};"' if row.differs else ""
        marker = " ≠" if row.differs else ""
        body_rows.append(f"<tr{style}><th>{textutil.escape_html(row.label)}{marker}</th>{''.join(cells)}</tr>")
    relation_rows = "".join(
        f"<tr><th>{textutil.escape_html(r.label)}: {textutil.escape_html(r.target_title)}</th>"
        + "".join(f"<td>{'✓' if present else '—'}</td>" for present in r.present)
        + "</tr>"
        for r in comparison.relations
    )
    notes = "".join(f'<p class="muted">{textutil.escape_html(note)}</p>' for note in comparison.notes)
    return (
        "<html><head><style>"
        f"body {{ color: {theme.text}; }} a {{ color: {theme.accent}; text-decoration: none; }}"
        f"table {{ border-collapse: collapse; }} th, td {{ border: 1px solid {theme.border}; padding: 4px 6px;"
        " vertical-align: top; text-align: left; }}"
        f".muted {{ color: {theme.muted}; }} .section {{ background-color: {theme.header_bg}; }}"
        "</style></head><body>"
        f"<h2>Comparison</h2>{notes}"
        f'<table width="100%"><tr><th></th>{head_cells}</tr>{"".join(body_rows)}</table>'
        + (f'<h3>Relations</h3><table width="100%">{relation_rows}</table>' if relation_rows else "")
        + f"<h3>References</h3><ol>{''.join(footnotes)}</ol>"
        + f'<p class="muted">≠ marks rows whose values differ. CARMM Desktop, content version '
        f"{textutil.escape_html(comparison.content_version)}. Educational reference only: check the cited sources "
        "and the current labels.</p></body></html>"
    )


# Ready-made sets a trainee would want; ids that are not in the content are skipped when shown.
SUGGESTED_COMPARISONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Approved BCMA CAR T products", ("ide-cel", "cilta-cel", "eque-cel", "zevor-cel")),
    ("Phase 3 CAR T trials", ("karmma-3", "cartitude-4")),
    ("Pivotal single-arm CAR T trials", ("karmma", "cartitude-1", "fumanba-1")),
    ("Bispecific antibodies by target", ("teclistamab", "elranatamab", "linvoseltamab", "talquetamab", "cevostamab")),
    ("Safety switches", ("icasp9", "egfrt", "cd20-mimotope", "hsv-tk", "dasatinib-switch")),
    ("Neurotoxicities", ("icans", "movement-neurocognitive-toxicity", "cranial-nerve-palsy", "delayed-neurotoxicity")),
    ("Off-the-shelf platforms", ("allogeneic-gene-edited", "car-nk", "ipsc-derived", "in-vivo-car-t")),
    ("Salvage after BCMA CAR T", ("bcma-bispecific-after-car-t", "gprc5d-therapy-after-bcma", "car-t-retreatment")),
)


def available_suggestions(repository: ContentRepository) -> list[tuple[str, list[str]]]:
    """The suggested sets, restricted to entries present; sets left with fewer than 2 are dropped."""
    result = []
    for name, ids in SUGGESTED_COMPARISONS:
        present = [entry_id for entry_id in ids if repository.has_entry(entry_id)][:MAX_COLUMNS]
        if len(present) >= MIN_COLUMNS:
            result.append((name, present))
    return result
