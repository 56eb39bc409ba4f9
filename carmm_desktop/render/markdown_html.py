"""Markdown to sanitised HTML.

python-markdown does not sanitise and passes raw HTML and `javascript:` links through, so every
fragment it produces goes through `nh3` with an allowlist of what `QTextBrowser` renders. Images
are dropped: nothing remote (or local) is ever loaded from text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable

from carmm_desktop.content.text import CITATION_RE, escape_html

APP_SCHEME = "carmm"
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "name", "id"},
    "abbr": {"title"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "h2": {"id"},
    "h3": {"id"},
    "sup": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto", APP_SCHEME}

_CONVERTERS = threading.local()  # one Markdown instance per thread (study cards render off the GUI thread)


def _converter():
    """A reusable Markdown converter. Extensions are passed as objects, not names: by name,
    python-markdown looks them up through importlib.metadata entry points (~40 ms on first use)."""
    converter = getattr(_CONVERTERS, "markdown", None)
    if converter is None:
        from markdown import Markdown  # not needed for the first screen: imported on first use
        from markdown.extensions.sane_lists import SaneListExtension
        from markdown.extensions.smarty import SmartyExtension
        from markdown.extensions.tables import TableExtension

        converter = Markdown(
            extensions=[TableExtension(), SaneListExtension(), SmartyExtension()], output_format="html"
        )
        _CONVERTERS.markdown = converter
    return converter.reset()


def sanitize(fragment: str) -> str:
    """Keep only tags, attributes and link schemes that are safe to show; drop scripts and images."""
    import nh3  # a compiled extension: loaded at the first render, not before the first frame

    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def citation_numbers(keys: Iterable[str]) -> Callable[[str], int | None]:
    """Reference key -> its number on the page: 1, 2, ... in reference-list order. The one rule for
    both the pages rendered when the content DB is built and those rendered on the fly."""
    return {key: number for number, key in enumerate(keys, start=1)}.get


def link_citations(text: str, number_of: Callable[[str], int | None]) -> str:
    """Turn `[@key]`/`[@a; @b]` into numbered links to the reference list (unknown keys stay visible)."""

    def replace(match: re.Match[str]) -> str:
        links = []
        for part in match.group(1).split(";"):
            key = part.strip().lstrip("@")
            number = number_of(key)
            if number is None:
                links.append(escape_html(f"[@{key}]"))
            else:
                safe_key = escape_html(key, quote=True)
                links.append(f'<a href="#ref-{safe_key}" title="Reference {number}">{number}</a>')
        return "<sup>[" + ", ".join(links) + "]</sup>"

    return CITATION_RE.sub(replace, text)


def render_markdown(text: str, number_of: Callable[[str], int | None] | None = None) -> str:
    """Markdown (optionally with citations) to a sanitised HTML fragment."""
    if number_of is not None:
        text = link_citations(text, number_of)
    return sanitize(_converter().convert(text))


# Characters that make Markdown (or the smarty extension) change a one-line value.
_INLINE_MARKUP_RE = re.compile(r"[*_`<>\[\]!#|\\&\"']|--|\.\.\.|^\s*[-+]\s|^\s*\d+[.)]\s")


def render_inline(text: str, number_of: Callable[[str], int | None] | None = None) -> str:
    """A one-line value (summary, attribute) as sanitised inline HTML, without a wrapping <p>.

    Plain values (most attributes) skip Markdown: escaping them gives the same HTML ten times
    faster, which keeps a six-column comparison well under 100 ms.
    """
    if not _INLINE_MARKUP_RE.search(CITATION_RE.sub("", text)) and "\n" not in text.strip():
        escaped = escape_html(text.strip(), quote=False)
        return link_citations(escaped, number_of) if number_of is not None else escaped
    fragment = render_markdown(text, number_of)
    match = re.fullmatch(r"\s*<p>(.*)</p>\s*", fragment, flags=re.DOTALL)
    return match.group(1) if match and "<p>" not in match.group(1) else fragment
