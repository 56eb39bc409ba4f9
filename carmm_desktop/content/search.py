"""Search over the compiled content: forgiving query parsing, safe FTS5, ranked, highlighted results.

User text never reaches `MATCH` raw: it is split into terms, each folded and quoted, so no input can
raise an FTS5 syntax error. Supported syntax: `"quoted phrase"`, `-word` to exclude, `kind:antigen`
(any unique prefix of a kind) and `status:approved` filters. An exact name (title, alias, id) ranks
first; then bm25 with title and alias columns weighted above attributes, summary and body.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field

from sqlalchemy import text as sql

from carmm_desktop.content import text as textutil
from carmm_desktop.content.models import FTS_WEIGHTS
from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.content.schema import KINDS, STATUSES

# Words that carry no meaning in a question ("what to do after relapse on ide-cel").
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "what",
        "when",
        "which",
        "who",
        "why",
        "with",
        "vs",
        "versus",
    ]
)
_FILTER_RE = re.compile(r"^(kind|status):(\S*)$", re.IGNORECASE)
_HIGHLIGHT_OPEN, _HIGHLIGHT_CLOSE = "\x02", "\x03"
EXACT_NAME_BONUS = 1000.0


@dataclass
class ParsedQuery:
    """A query split into what FTS5 should match and what filters apply."""

    terms: list[str] = field(default_factory=list)  # raw words, as typed
    phrases: list[list[str]] = field(default_factory=list)  # folded words of each "phrase"
    excluded: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    prefix_last: bool = False
    problems: list[str] = field(default_factory=list)  # filter values that matched nothing

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases)


@dataclass(frozen=True)
class SearchResult:
    id: str
    kind: str
    title: str
    snippet: str  # safe HTML: escaped text with <b>…</b> around matches
    score: float  # higher is better


@dataclass(frozen=True)
class SearchResponse:
    query: ParsedQuery
    results: list[SearchResult]
    suggestions: list[str]


def _resolve(prefix: str, choices: tuple[str, ...] | list[str]) -> list[str]:
    prefix = prefix.lower()
    exact = [choice for choice in choices if choice == prefix]
    return exact or [choice for choice in choices if choice.startswith(prefix)]


def parse_query(raw: str) -> ParsedQuery:
    """Split user text into terms, phrases, exclusions and filters. Never raises."""
    parsed = ParsedQuery()
    raw = raw.replace("\x00", " ")
    # Quoted phrases first; an unbalanced quote simply quotes to the end of the text.
    phrase_end = -1
    for match in re.finditer(r'"([^"]*)("|$)', raw):
        folded = textutil.words(match.group(1))
        if folded:
            parsed.phrases.append(folded)
        phrase_end = match.end()
    remainder = re.sub(r'"([^"]*)("|$)', " ", raw)
    tokens = remainder.split()
    for token in tokens:
        filter_match = _FILTER_RE.match(token)
        if filter_match:
            name, value = filter_match.group(1).lower(), filter_match.group(2)
            if not value:
                continue
            choices = list(KINDS) if name == "kind" else list(STATUSES)
            found = _resolve(value, choices)
            if found:
                (parsed.kinds if name == "kind" else parsed.statuses).extend(found)
            else:
                parsed.problems.append(f"unknown {name} '{value}'")
            continue
        if token.startswith("-") and len(token) > 1 and textutil.words(token[1:]):
            parsed.excluded.append(token[1:])
            continue
        if textutil.words(token):
            parsed.terms.append(token)
    # The last word is still being typed unless a space or a phrase follows it.
    parsed.prefix_last = bool(parsed.terms) and not raw[-1:].isspace() and phrase_end != len(raw)
    return parsed


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _term_expression(term: str, prefix: bool, expansions: dict[str, str] | None = None) -> str:
    """One typed word as FTS5: `4-1BB` matches the phrase `4 1bb` or the squashed keyword `41bb`;
    a glossary abbreviation also matches its expansion (`MNT` -> "movement and neurocognitive...")."""
    parts = textutil.words(term)
    star = "*" if prefix else ""
    alternatives = [_quote(" ".join(parts)) + star]
    if len(parts) > 1:
        alternatives.append(_quote("".join(parts)) + star)
    expansion = (expansions or {}).get("".join(parts))
    if expansion:
        alternatives.append(_quote(" ".join(textutil.words(expansion))))
    return alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"


def build_match(
    parsed: ParsedQuery,
    *,
    any_term: bool = False,
    drop_stop_words: bool = True,
    expansions: dict[str, str] | None = None,
) -> str | None:
    """The FTS5 MATCH string for `parsed`, or None when there is nothing to match."""
    terms = parsed.terms
    if drop_stop_words:
        meaningful = [t for t in terms if textutil.fold(t) not in STOP_WORDS]
        # Keep the last word while it is being typed ("wh" may become "why" or "whole").
        if meaningful or not parsed.phrases:
            terms = meaningful or terms
    expressions = [
        _term_expression(term, parsed.prefix_last and index == len(terms) - 1 and term is parsed.terms[-1], expansions)
        for index, term in enumerate(terms)
    ]
    expressions += [_quote(" ".join(words)) for words in parsed.phrases]
    if not expressions:
        return None
    joiner = " OR " if any_term else " AND "
    match = "(" + joiner.join(expressions) + ")"
    for word in parsed.excluded:
        match += " NOT " + _term_expression(word, prefix=False)
    return match


def _safe_snippet(raw: str) -> str:
    escaped = html.escape(raw, quote=False)
    return escaped.replace(_HIGHLIGHT_OPEN, "<b>").replace(_HIGHLIGHT_CLOSE, "</b>")


class SearchEngine:
    """Ranked search over one `ContentRepository`."""

    def __init__(self, repository: ContentRepository) -> None:
        self.repository = repository
        self._names: list[str] | None = None
        glossary = repository.glossary()
        # Abbreviation key -> expansion, and -> the entry that explains it (an exact name match).
        self.expansions = {textutil.key(term.abbreviation): term.expansion for term in glossary}
        self.glossary_entries = {textutil.key(term.abbreviation): term.entry_id for term in glossary if term.entry_id}

    def _exact_ids(self, connection, raw: str) -> list[str]:
        key = textutil.key(raw)
        if not key:
            return []
        return list(connection.execute(sql("SELECT entry_id FROM name WHERE match_key = :k"), {"k": key}).scalars())

    def search(
        self,
        raw: str,
        *,
        kinds: list[str] | None = None,
        statuses: list[str] | None = None,
        limit: int = 20,
    ) -> SearchResponse:
        parsed = parse_query(raw)
        kind_filter = list(dict.fromkeys([*(kinds or []), *parsed.kinds]))
        status_filter = list(dict.fromkeys([*(statuses or []), *parsed.statuses]))
        if parsed.is_empty:
            return SearchResponse(parsed, [], [])
        with self.repository.connect() as connection:
            exact = [] if parsed.excluded or parsed.phrases else self._exact_ids(connection, " ".join(parsed.terms))
            match = build_match(parsed, expansions=self.expansions)
            results = self._ranked(connection, match, kind_filter, status_filter, limit, exact)
            if not results:
                # Nothing has every word: fall back to entries with most of them.
                results = self._ranked(
                    connection,
                    build_match(parsed, any_term=True, expansions=self.expansions),
                    kind_filter,
                    status_filter,
                    limit,
                    exact,
                )
        suggestions = [] if results else self.suggest(" ".join(parsed.terms))
        return SearchResponse(parsed, results, suggestions)

    def _ranked(
        self,
        connection,
        match: str | None,
        kinds: list[str],
        statuses: list[str],
        limit: int,
        exact: list[str],
    ) -> list[SearchResult]:
        if match is None:
            return []
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        where = ["entry_fts MATCH :match"]
        params: dict[str, object] = {"match": match, "limit": max(1, min(limit, 500))}
        for name, values in (("kind", kinds), ("status", statuses)):
            if values:
                keys = [f"{name}{i}" for i in range(len(values))]
                where.append(f"e.{name} IN ({', '.join(':' + k for k in keys)})")
                params.update(zip(keys, values, strict=True))
        if exact:
            keys = [f"exact{i}" for i in range(len(exact))]
            bonus = f"CASE WHEN e.id IN ({', '.join(':' + k for k in keys)}) THEN {EXACT_NAME_BONUS} ELSE 0 END"
            params.update(zip(keys, exact, strict=True))
        else:
            bonus = "0"
        o, c = _HIGHLIGHT_OPEN, _HIGHLIGHT_CLOSE
        query = sql(
            f"SELECT e.id, e.kind, e.title, e.summary, "
            f"snippet(entry_fts, 5, '{o}', '{c}', '…', 16), "
            f"snippet(entry_fts, 6, '{o}', '{c}', '…', 16), "
            f"{bonus} - bm25(entry_fts, 0, {weights}) AS score "
            f"FROM entry_fts JOIN entry e ON e.id = entry_fts.entry_id "
            f"WHERE {' AND '.join(where)} ORDER BY score DESC, e.title LIMIT :limit"
        )
        results = []
        for entry_id, kind, title, summary, summary_snip, body_snip, score in connection.execute(query, params):
            if _HIGHLIGHT_OPEN in summary_snip:
                snippet = summary_snip
            elif _HIGHLIGHT_OPEN in body_snip:
                snippet = body_snip
            else:
                snippet = textutil.markdown_to_plain(summary)
                snippet = snippet if len(snippet) <= 160 else snippet[:157].rstrip() + "…"
            results.append(SearchResult(entry_id, kind, title, _safe_snippet(snippet), round(float(score), 4)))
        return results

    def suggest(self, raw: str, limit: int = 5) -> list[str]:
        """Known names close to what was typed, for a query that found nothing."""
        wanted = textutil.fold(raw).strip()
        if not wanted:
            return []
        if self._names is None:
            with self.repository.connect() as connection:
                rows = connection.execute(sql("SELECT title FROM entry UNION SELECT alias FROM alias")).scalars()
                self._names = sorted(set(rows))
        folded = {textutil.fold(name): name for name in self._names}
        close = difflib.get_close_matches(wanted, list(folded), n=limit, cutoff=0.6)
        return [folded[name] for name in close]
