"""Search over the compiled content: forgiving query parsing, safe FTS5, ranked, highlighted results.

User text never reaches `MATCH` raw: it is split into terms, each folded and quoted, so no input can
raise an FTS5 syntax error. Supported syntax: `"quoted phrase"`, `-word` to exclude, `kind:antigen`
(any unique prefix of a kind) and `status:approved` filters. An exact name (title, alias, id) ranks
first; then bm25 with title and alias columns weighted above attributes, summary and body.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass, field

from carmm_desktop.content import text as textutil
from carmm_desktop.content.fts import FTS_WEIGHTS
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
    corrected: str | None = None  # the query actually searched, when misspellings were corrected


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
    if prefix and len(parts[-1]) < 2 and len(parts) > 1:
        # "cilta-c" while typing: a one-letter prefix inside a phrase makes FTS5 read the position
        # lists of every word starting with that letter (~0.1 s); match the finished part instead.
        alternatives = [_quote(" ".join(parts[:-1])), _quote("".join(parts)) + "*"]
        return "(" + " OR ".join(alternatives) + ")"
    star = "*" if prefix else ""
    alternatives = [_quote(" ".join(parts)) + star]
    if len(parts) > 1:
        alternatives.append(_quote("".join(parts)) + star)
    expansion = (expansions or {}).get("".join(parts))
    if expansion:
        alternatives.append(_quote(" ".join(textutil.words(expansion))))
    return alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"


NAME_COLUMNS = "{title aliases keywords}"
SHORT_PREFIX = 2  # a lone prefix this short searches names only: fast, and what a typist means
COMMON_SHARE = 0.3  # a word in more than this share of entries is "common" here
NAMES_FIRST_ENOUGH = 5  # names-first results needed before the full text is skipped


def build_match(
    parsed: ParsedQuery,
    *,
    any_term: bool = False,
    drop_stop_words: bool = True,
    expansions: dict[str, str] | None = None,
    names_only: bool = False,
) -> str | None:
    """The FTS5 MATCH string for `parsed`, or None when there is nothing to match."""
    terms = parsed.terms
    if drop_stop_words:
        meaningful = [t for t in terms if textutil.fold(t) not in STOP_WORDS]
        # Keep the last word while it is being typed ("wh" may become "why" or "whole").
        if meaningful or not parsed.phrases:
            terms = meaningful or terms
    if parsed.prefix_last and len(terms) > 1 and terms[-1] is parsed.terms[-1] and len(textutil.key(terms[-1])) < 2:
        # "cilta c" while typing: a one-letter prefix expands to every word with that letter (seconds
        # on a large index) and narrows nothing yet; wait for the next letter.
        terms = terms[:-1]
    expressions = [
        _term_expression(term, parsed.prefix_last and index == len(terms) - 1 and term is parsed.terms[-1], expansions)
        for index, term in enumerate(terms)
    ]
    expressions += [_quote(" ".join(words)) for words in parsed.phrases]
    if not expressions:
        return None
    joiner = " OR " if any_term else " AND "
    match = "(" + joiner.join(expressions) + ")"
    if names_only:
        match = f"{NAME_COLUMNS} : {match}"
    for word in parsed.excluded:
        match += " NOT " + _term_expression(word, prefix=False)
    return match


def _safe_snippet(raw: str) -> str:
    escaped = html.escape(raw, quote=False)
    return escaped.replace(_HIGHLIGHT_OPEN, "<b>").replace(_HIGHLIGHT_CLOSE, "</b>")


# Two-stage ranking. FTS5's bm25 retrieves candidates, but in a corpus that is all about CAR T in
# myeloma, words like "BCMA", "CAR" or "relapse" occur in most entries and bm25 gives them almost no
# weight. The second stage adds what a clinician means: how much of the query the entry's title and
# aliases cover, and which kind of entry the question asks for ("after relapse" -> salvage).
CANDIDATES = 120
COVERAGE_WEIGHT = 6.0
INTENT_WEIGHT = 2.5
# Coverage ignores the same filler words that MATCH drops.
FILLER_WORDS = STOP_WORDS
INTENT_WORDS: dict[str, tuple[str, ...]] = {
    "salvage": (
        "relapse",
        "relapsed",
        "relapsing",
        "after",
        "salvage",
        "progression",
        "progressed",
        "failure",
        "failed",
        "retreatment",
        "rescue",
    ),
    "toxicity": ("toxicity", "toxicities", "adverse", "side", "grading", "grade", "management", "manage"),
    "trial": ("trial", "trials", "study", "phase", "results", "randomised", "randomized"),
    "mechanism": ("why", "mechanism", "mechanisms", "resistance", "escape", "fails", "fail"),
    "design": ("design", "designs", "platform", "platforms", "generation", "engineering", "novel"),
    "safety-switch": ("switch", "switches", "suicide", "kill", "off"),
}
ABBREVIATION_EXPANSION_MAX_SHARE = 0.25
TYPO_SCORE_CUTOFF = 80


def _stem_match(query_word: str, name_word: str, prefix: bool) -> bool:
    if name_word == query_word or (prefix and name_word.startswith(query_word)):
        return True
    # Cheap stemming for coverage: "relapse" ~ "relapsing", "toxicity" ~ "toxicities".
    return len(query_word) >= 5 and name_word.startswith(query_word[:-2]) and len(name_word) <= len(query_word) + 4


class SearchEngine:
    """Ranked search over one `ContentRepository`."""

    def __init__(self, repository: ContentRepository) -> None:
        self.repository = repository
        self._names: dict[str, str] | None = None  # folded name -> name, for suggestions
        self._vocabulary: dict[str, list[str]] = {}  # first two letters -> indexed words
        self._document_share: dict[str, float] = {}
        self._name_words: dict[str, frozenset[str]] = {}  # entry id -> words of title, aliases, tags
        glossary = repository.glossary()
        # Abbreviation key -> expansion, and -> the entry that explains it (an exact name match).
        self.glossary_expansions = {textutil.key(term.abbreviation): term.expansion for term in glossary}
        self.glossary_entries = {textutil.key(term.abbreviation): term.entry_id for term in glossary if term.entry_id}
        with repository.connect() as connection:
            self._entry_count = max(1, connection.execute("SELECT count(*) FROM entry").scalar() or 1)

    def _exact_ids(self, connection, raw: str) -> list[str]:
        key = textutil.key(raw)
        if not key:
            return []
        found = list(connection.execute("SELECT entry_id FROM name WHERE match_key = :k", {"k": key}).scalars())
        if not found and key in self.glossary_entries:
            found = [self.glossary_entries[key]]
        return found

    def _share(self, connection, word: str) -> float:
        """The fraction of entries containing `word` (cached): how common it is in this corpus."""
        if word not in self._document_share:
            quoted = _quote(word[:-1]) + "*" if word.endswith("*") else _quote(word)
            count = connection.execute(
                "SELECT count(*) FROM entry_fts WHERE entry_fts MATCH :m", {"m": quoted}
            ).scalar()
            self._document_share[word] = (count or 0) / self._entry_count
        return self._document_share[word]

    def _all_common(self, connection, parsed: ParsedQuery) -> bool:
        """True when every typed word (the last as a prefix while typing) is in most entries."""
        if parsed.phrases or parsed.excluded or not parsed.terms:
            return False
        for index, term in enumerate(parsed.terms):
            folded = "".join(textutil.words(term))
            if textutil.fold(term) in STOP_WORDS:
                continue
            if not folded:
                return False
            if parsed.prefix_last and index == len(parsed.terms) - 1:
                share = self._prefix_share(connection, folded)
            else:
                share = self._share(connection, folded)
            if share <= COMMON_SHARE:
                return False
        return True

    def _prefix_share(self, connection, prefix: str) -> float:
        """A quick lower bound on the share of entries holding a word that starts with `prefix`:
        the most frequent such indexed term (a range read of the vocabulary, not a full match)."""
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        most = connection.execute(
            "SELECT max(doc) FROM entry_fts_vocab WHERE term >= :low AND term < :high",
            {"low": prefix, "high": upper},
        ).scalar()
        return (most or 0) / self._entry_count

    def _expansions_for(self, connection, parsed: ParsedQuery) -> dict[str, str]:
        """Expand an abbreviation only when it is rare here: "MNT" needs its meaning, "CAR" does not."""
        wanted = {}
        for term in parsed.terms:
            key = "".join(textutil.words(term))
            if key in self.glossary_expansions and self._share(connection, key) < ABBREVIATION_EXPANSION_MAX_SHARE:
                wanted[key] = self.glossary_expansions[key]
        return wanted

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
            results = self._search_parsed(connection, parsed, kind_filter, status_filter, limit)
            corrected = None
            if len(results) < 3:
                corrected = self._corrected(connection, parsed)
                if corrected is not None:
                    better = self._search_parsed(connection, parse_query(corrected), kind_filter, status_filter, limit)
                    if len(better) > len(results):
                        results = better
                    else:
                        corrected = None
        suggestions = [] if results else self.suggest(" ".join(parsed.terms))
        return SearchResponse(parsed, results, suggestions, corrected)

    def _search_parsed(
        self, connection, parsed: ParsedQuery, kinds: list[str], statuses: list[str], limit: int
    ) -> list[SearchResult]:
        exact = [] if parsed.excluded or parsed.phrases else self._exact_ids(connection, " ".join(parsed.terms))
        expansions = self._expansions_for(connection, parsed)
        short = (
            len(parsed.terms) == 1
            and not parsed.phrases
            and parsed.prefix_last
            and len("".join(textutil.words(parsed.terms[0]))) <= SHORT_PREFIX
        )
        if short:
            match = build_match(parsed, expansions=expansions, names_only=True)
            return self._ranked(connection, parsed, match, kinds, statuses, limit, exact)
        results: list[SearchResult] = []
        match = build_match(parsed, expansions=expansions)
        if self._all_common(connection, parsed):
            # Every word is in most entries, so ranking them all by bm25 is slow (it grows with
            # the corpus) and says little. Rank only the entries that carry the words in their
            # names; search the whole text only if they are too few.
            names = build_match(parsed, expansions=expansions, names_only=True)
            rowids = connection.execute(
                f"SELECT rowid FROM entry_fts WHERE entry_fts MATCH :m LIMIT {CANDIDATES}", {"m": names}
            ).scalars()
            if rowids:
                # Rank those few by the words as typed, without prefix expansion (costly at scale).
                exact_words = build_match(dataclasses.replace(parsed, prefix_last=False), expansions=expansions)
                results = self._ranked(connection, parsed, exact_words, kinds, statuses, limit, exact, within=rowids)
        if len(results) < min(limit, NAMES_FIRST_ENOUGH):
            results = self._ranked(connection, parsed, match, kinds, statuses, limit, exact)
        if not results:
            # Nothing has every word: fall back to entries with most of them.
            match = build_match(parsed, any_term=True, expansions=expansions)
            results = self._ranked(connection, parsed, match, kinds, statuses, limit, exact)
        return results

    def _vocabulary_near(self, connection, word: str) -> list[str]:
        """Indexed words that start with the same two letters (a range read of fts5vocab: cheap at
        any corpus size; a typo in the first two letters is rare and not corrected)."""
        head = word[:2]
        if head not in self._vocabulary:
            rows = connection.execute(
                "SELECT term FROM entry_fts_vocab WHERE term >= :low AND term < :high AND length(term) >= 4",
                {"low": head, "high": head[:-1] + chr(ord(head[-1]) + 1)},
            ).scalars()
            self._vocabulary[head] = [term for term in rows if term.isalpha()]
        return self._vocabulary[head]

    def _corrected(self, connection, parsed: ParsedQuery) -> str | None:
        """The query with unknown words replaced by the nearest indexed words (rapidfuzz), or None."""
        from rapidfuzz import fuzz, process

        changed = False
        words = []
        for index, term in enumerate(parsed.terms):
            folded = "".join(textutil.words(term))
            is_last = index == len(parsed.terms) - 1
            known = (
                len(folded) < 4
                or self._share(connection, folded) > 0
                or (is_last and parsed.prefix_last and self._share(connection, folded + "*") > 0)
            )
            if known:
                words.append(term)
                continue
            best = process.extractOne(
                folded, self._vocabulary_near(connection, folded), scorer=fuzz.ratio, score_cutoff=TYPO_SCORE_CUTOFF
            )
            if best is None:
                words.append(term)
            else:
                words.append(best[0])
                changed = True
        return " ".join(words) if changed else None

    def _ranked(
        self,
        connection,
        parsed: ParsedQuery,
        match: str | None,
        kinds: list[str],
        statuses: list[str],
        limit: int,
        exact: list[str],
        within: list[int] | None = None,
    ) -> list[SearchResult]:
        if match is None:
            return []
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        where = ["entry_fts MATCH :match"]
        params: dict[str, object] = {"match": match}
        if within is not None:
            # A literal list keeps FTS5 to a few rowid lookups (a sub-select would re-run the match).
            where.append(f"entry_fts.rowid IN ({', '.join(str(int(rowid)) for rowid in within)})")
        for name, values in (("kind", kinds), ("status", statuses)):
            if values:
                keys = [f"{name}{i}" for i in range(len(values))]
                where.append(f"e.{name} IN ({', '.join(':' + k for k in keys)})")
                params.update(zip(keys, values, strict=True))
        candidates = connection.execute(
            (
                f"SELECT e.id, e.kind, e.title, e.summary, entry_fts.aliases || ' ' || entry_fts.keywords, "
                f"-bm25(entry_fts, 0, {weights}) "
                f"FROM entry_fts JOIN entry e ON e.id = entry_fts.entry_id WHERE {' AND '.join(where)} "
                f"ORDER BY bm25(entry_fts, 0, {weights}) LIMIT {CANDIDATES}"
            ),
            params,
        ).all()
        # Each typed term is one unit ("cilta-cel" is one, not two); phrases are units too.
        units = [textutil.words(t) for t in parsed.terms if textutil.fold(t) not in FILLER_WORDS]
        units += [list(phrase) for phrase in parsed.phrases]
        all_words = textutil.words(" ".join(parsed.terms))
        wanted_kinds = {kind for kind, cues in INTENT_WORDS.items() if any(w in cues for w in all_words)}
        scored = []
        for entry_id, kind, title, summary, names, bm25 in candidates:
            name_words = self._name_words.get(entry_id)
            if name_words is None:
                name_words = self._name_words[entry_id] = frozenset(textutil.words(f"{title} {names}"))

            def covers(unit: list[str], last: bool, name_words: frozenset[str] = name_words) -> bool:
                if "".join(unit) in name_words:
                    return True
                return all(
                    any(_stem_match(word, name, last and parsed.prefix_last) for name in name_words) for word in unit
                )

            covered = sum(1 for i, unit in enumerate(units) if unit and covers(unit, i == len(units) - 1))
            coverage = covered / len(units) if units else 0.0
            score = float(bm25) + COVERAGE_WEIGHT * coverage + (INTENT_WEIGHT if kind in wanted_kinds else 0.0)
            if entry_id in exact:
                score += EXACT_NAME_BONUS
            scored.append((score, title.casefold(), entry_id, kind, title, summary))
        scored.sort(key=lambda row: (-row[0], row[1]))
        top = scored[: max(1, min(limit, 500))]
        snippets = self._snippets(connection, match, [row[2] for row in top])
        results = []
        for score, _key, entry_id, kind, title, summary in top:
            summary_snip, body_snip = snippets.get(entry_id, ("", ""))
            if _HIGHLIGHT_OPEN in summary_snip:
                snippet = summary_snip
            elif _HIGHLIGHT_OPEN in body_snip:
                snippet = body_snip
            else:
                snippet = textutil.markdown_to_plain(summary)
                snippet = snippet if len(snippet) <= 160 else snippet[:157].rstrip() + "…"
            results.append(SearchResult(entry_id, kind, title, _safe_snippet(snippet), round(score, 4)))
        return results

    def _snippets(self, connection, match: str, entry_ids: list[str]) -> dict[str, tuple[str, str]]:
        """Highlighted summary and body snippets, computed only for the results shown."""
        if not entry_ids:
            return {}
        keys = [f"id{i}" for i in range(len(entry_ids))]
        o, c = _HIGHLIGHT_OPEN, _HIGHLIGHT_CLOSE
        rows = connection.execute(
            (
                f"SELECT entry_id, snippet(entry_fts, 5, '{o}', '{c}', '…', 16), "
                f"snippet(entry_fts, 6, '{o}', '{c}', '…', 16) FROM entry_fts "
                f"WHERE entry_fts MATCH :match AND entry_id IN ({', '.join(':' + k for k in keys)})"
            ),
            {"match": match, **dict(zip(keys, entry_ids, strict=True))},
        ).all()
        return {entry_id: (summary, body) for entry_id, summary, body in rows}

    def suggest(self, raw: str, limit: int = 5) -> list[str]:
        """Known names (titles and aliases) close to what was typed, for a query that found nothing."""
        from rapidfuzz import fuzz, process

        wanted = textutil.fold(raw).strip()
        if not wanted:
            return []
        if self._names is None:
            with self.repository.connect() as connection:
                rows = connection.execute("SELECT title FROM entry UNION SELECT alias FROM alias").scalars()
            self._names = {textutil.fold(name): name for name in rows}
        close = process.extract(wanted, list(self._names), scorer=fuzz.ratio, score_cutoff=60, limit=limit)
        return [self._names[name] for name, _score, _index in close]
