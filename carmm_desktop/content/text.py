"""Text normalisation shared by the compiler (what is indexed) and search (what is asked).

Both sides go through the same functions, so `γ-secretase`, `gamma secretase` and
`Gamma-Secretase` meet in the index, and `4-1BB`, `4 1BB` and `41BB` all find the same entries.
"""

from __future__ import annotations

import re
import unicodedata

GREEK_LETTERS: dict[str, str] = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "ι": "iota",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "ο": "omicron",
    "π": "pi",
    "ρ": "rho",
    "σ": "sigma",
    "ς": "sigma",
    "τ": "tau",
    "υ": "upsilon",
    "φ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
}

CITATION_RE = re.compile(r"\[@([^\]\s][^\]]*)\]")
_WORD_RE = re.compile(r"[0-9a-z]+")
# A run of letters/digits joined by hyphens or slashes: "4-1BB", "cilta-cel", "CD3/CD28". It starts
# only at a word's start and its runs never give back letters (possessive `++`): the plain pattern
# retried every start and every shorter run inside each unjoined word, and squashing the names of a
# search's 120 candidates spent ~3 ms there on the first search.
_JOINED_RE = re.compile(r"(?<![0-9a-z])[0-9a-z]++(?:[-‐‑–/][0-9a-z]++)+")
_NOT_WORD_RE = re.compile(r"[^0-9a-z]")


_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})
_HTML_ESCAPES_KEEPING_QUOTES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape_html(text: str, quote: bool = True) -> str:
    """`html.escape`, without importing `html`: that builds html.entities' table of ~2,000 names
    (~1.5 ms), and the first frame escapes a few strings but never unescapes one."""
    return text.translate(_HTML_ESCAPES if quote else _HTML_ESCAPES_KEEPING_QUOTES)


def spell_greek(text: str) -> str:
    """Greek letters written out, case and everything else kept: the readable indexed form."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        name = GREEK_LETTERS.get(ch.lower())
        if name is None:
            out.append(ch)
        else:
            out.append(name if ch == ch.lower() else name.capitalize())
    return "".join(out)


_GREEK_TABLE = str.maketrans(GREEK_LETTERS)


def fold(text: str) -> str:
    """Lower-case, Greek letters spelled out, diacritics removed: the form both sides compare."""
    if text.isascii():
        return text.lower()  # the common case, and by far the cheapest
    text = unicodedata.normalize("NFKC", text).lower().translate(_GREEK_TABLE)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded word tokens of `text`, split the way the FTS5 unicode61 tokenizer splits them."""
    return _WORD_RE.findall(fold(text))


def joined_forms(text: str) -> list[str]:
    """Hyphenated compounds squashed into one token ("4-1BB" -> "41bb"), indexed as extra keywords."""
    return sorted({_NOT_WORD_RE.sub("", match) for match in _JOINED_RE.findall(fold(text))})


def name_words(title: str, aliases: str) -> list[str]:
    """The words an entry's names cover, compounds squashed too ("4-1BB" gives 4, 1bb and 41bb)."""
    names = f"{title} {aliases}"
    return sorted({*words(names), *joined_forms(names)})


def key(text: str) -> str:
    """A name reduced to letters and digits: the exact-match key for titles and aliases."""
    return "".join(words(text))


def cited_keys(text: str) -> list[str]:
    """Every reference key cited as `[@key]` or `[@a; @b]` in `text`, in order of appearance."""
    keys: list[str] = []
    for group in CITATION_RE.findall(text):
        for part in group.split(";"):
            part = part.strip()
            if part.startswith("@"):
                part = part[1:]
            if part:
                keys.append(part)
    return keys


_MD_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# Heading marks, emphasis, code ticks, table pipes and blockquote marks (only at a line start: ">"
# inside a sentence is a clinical "greater than" and must survive).
_MD_MARKUP_RE = re.compile(r"(^|\s)#{1,6}\s|[*_`|]+|^\s*>", re.MULTILINE)


def markdown_to_plain(text: str) -> str:
    """Markdown reduced to readable plain text for indexing and snippets (citations dropped)."""
    text = re.sub(r"\s*" + CITATION_RE.pattern, "", text)
    text = _MD_LINK_RE.sub(r"\1", text)
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", " ", text, flags=re.MULTILINE)  # list markers
    text = re.sub(r"^\s*[-:| ]{3,}\s*$", " ", text, flags=re.MULTILINE)  # table rules
    text = _MD_MARKUP_RE.sub(lambda m: m.group(1) or " ", text)
    return re.sub(r"\s+", " ", text).strip()
