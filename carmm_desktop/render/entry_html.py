"""An entry as one HTML page: header, summary, attributes, body, related entries, references.

Only the Markdown parts are rendered and sanitised; every other value is escaped, and the page
template around them is ours. Styles stay within what `QTextBrowser` supports (CSS 2.1 subset).
"""

from __future__ import annotations

from typing import NamedTuple

from carmm_desktop.content.repository import EntryDetail, Reference
from carmm_desktop.content.schema import KINDS
from carmm_desktop.content.text import escape_html
from carmm_desktop.render.markdown_html import APP_SCHEME, citation_numbers, render_inline, render_markdown


class Theme(NamedTuple):
    name: str
    text: str
    muted: str
    accent: str
    border: str
    header_bg: str
    approved_bg: str
    investigational_bg: str
    other_bg: str
    badge_text: str


LIGHT = Theme(
    "light", "#1d232b", "#5b6573", "#1f5fbf", "#d5dae1", "#f2f4f7", "#1e7b45", "#b25e09", "#5b6573", "#ffffff"
)
DARK = Theme("dark", "#e6e9ee", "#a3acb9", "#7fb0ff", "#3a414c", "#262b33", "#2f9e5e", "#d9822b", "#6b7686", "#ffffff")
THEMES = {"light": LIGHT, "dark": DARK}

DISCLAIMER = (
    "Educational reference only: not a substitute for clinical judgement, local protocols or the "
    "current product labels."
)


def entry_url(entry_id: str) -> str:
    return f"{APP_SCHEME}://entry/{entry_id}"


def reference_links(reference: Reference) -> list[tuple[str, str]]:
    """(label, url) for each locator a reference has, in a fixed order."""
    links = []
    if reference.pmid:
        links.append((f"PMID {reference.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/"))
    if reference.doi:
        links.append((f"doi:{reference.doi}", f"https://doi.org/{reference.doi}"))
    if reference.nct:
        links.append((reference.nct, f"https://clinicaltrials.gov/study/{reference.nct}"))
    if reference.url:
        links.append(("Source", reference.url))
    return links


STATUS_BADGES = {"unknown": "STATUS NOT VERIFIED"}


def status_badge(status: str, theme: Theme) -> str:
    background = {"approved": theme.approved_bg, "investigational": theme.investigational_bg}.get(
        status, theme.other_bg
    )
    return (
        f'<span style="background-color:{background}; color:{theme.badge_text};">'
        f"&nbsp;{escape_html(STATUS_BADGES.get(status, status.upper()))}&nbsp;</span>"
    )


def _style(theme: Theme, zoom_percent: int) -> str:
    base = round(10.5 * zoom_percent / 100, 1)
    return f"""
body {{ color: {theme.text}; font-size: {base}pt; }}
h1 {{ font-size: {base * 1.75:.1f}pt; margin-bottom: 2px; }}
h2 {{ font-size: {base * 1.3:.1f}pt; margin-top: 16px; margin-bottom: 4px; }}
h3 {{ font-size: {base * 1.12:.1f}pt; margin-top: 12px; }}
a {{ color: {theme.accent}; text-decoration: none; }}
.muted {{ color: {theme.muted}; }}
.summary {{ font-size: {base * 1.08:.1f}pt; }}
table.attrs {{ border-collapse: collapse; margin-top: 6px; }}
table.attrs th {{ text-align: left; font-weight: 600; color: {theme.muted};
  background-color: {theme.header_bg}; padding: 4px 8px; border: 1px solid {theme.border}; }}
table.attrs td {{ padding: 4px 8px; border: 1px solid {theme.border}; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid {theme.border}; padding: 3px 6px; }}
.refs li {{ margin-bottom: 4px; }}
.disclaimer {{ color: {theme.muted}; font-size: {base * 0.9:.1f}pt; }}
"""


def render_entry(entry: EntryDetail, *, theme: Theme = LIGHT, zoom_percent: int = 100) -> str:
    """The full HTML page for one entry (safe to hand to QTextBrowser or a printer)."""
    number_of = citation_numbers(reference.key for reference in entry.references)
    kind_label = KINDS[entry.kind].label if entry.kind in KINDS else entry.kind
    parts = [
        f"<html><head><style>{_style(theme, zoom_percent)}</style></head><body>",
        f'<p class="muted">{escape_html(kind_label)} &nbsp; {status_badge(entry.status, theme)}</p>',
        f"<h1>{escape_html(entry.title)}</h1>",
    ]
    if entry.aliases:
        parts.append(f'<p class="muted">Also: {escape_html(", ".join(entry.aliases))}</p>')
    summary = entry.summary_html or render_inline(entry.summary, number_of)
    parts.append(f'<p class="summary">{summary}</p>')

    if entry.attributes:
        rows = "".join(
            f"<tr><th>{escape_html(attribute.label)}</th>"
            f"<td>{attribute.value_html or render_inline(attribute.value, number_of)}</td></tr>"
            for attribute in entry.attributes
        )
        parts.append(f'<h2>Key facts</h2><table class="attrs" width="100%">{rows}</table>')

    parts.append(entry.body_html or render_markdown(entry.body, number_of))

    if entry.links:
        grouped: dict[str, list[str]] = {}
        for link in entry.links:
            target = link.entry
            anchor = f'<a href="{entry_url(target.id)}">{escape_html(target.title)}</a>'
            grouped.setdefault(link.label, []).append(anchor)
        items = "".join(
            f"<li><b>{escape_html(label)}:</b> {', '.join(anchors)}</li>" for label, anchors in grouped.items()
        )
        parts.append(f"<h2>Related entries</h2><ul>{items}</ul>")

    if entry.references:
        items = []
        for reference in entry.references:
            links = " · ".join(
                f'<a href="{escape_html(url, quote=True)}">{escape_html(label)}</a>'
                for label, url in reference_links(reference)
            )
            items.append(
                f'<li><a name="ref-{escape_html(reference.key, quote=True)}"></a>'
                f"{escape_html(reference.citation)} {links}</li>"
            )
        parts.append(f'<h2>References</h2><ol class="refs">{"".join(items)}</ol>')

    parts.append(f'<hr><p class="disclaimer">Last reviewed {escape_html(entry.last_reviewed)}. {DISCLAIMER}</p>')
    parts.append("</body></html>")
    return "".join(parts)


def render_glossary(terms: list, *, theme: Theme = LIGHT, zoom_percent: int = 100) -> str:
    """The glossary page: abbreviation, meaning, and a link to the entry that explains it."""
    rows = "".join(
        f"<tr><th>{escape_html(term.abbreviation)}</th><td>{escape_html(term.expansion)}"
        + (f' — <a href="{entry_url(term.entry_id)}">open entry</a>' if term.entry_id else "")
        + "</td></tr>"
        for term in terms
    )
    return (
        f"<html><head><style>{_style(theme, zoom_percent)}</style></head><body><h1>Glossary</h1>"
        "<p class='muted'>Abbreviations used in this reference. Typing one in the search box also "
        f"finds entries that spell it out.</p><table class='attrs' width='100%'>{rows}</table></body></html>"
    )
