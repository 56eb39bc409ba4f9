"""Search over the compiled content: forgiving query parsing, safe FTS5, ranked, highlighted results.

User text never reaches `MATCH` raw: it is split into terms, each folded and quoted, so no input can
raise an FTS5 syntax error. Supported syntax: `"quoted phrase"`, `-word` to exclude, `kind:antigen`
(any unique prefix of a kind) and `status:approved` filters. An exact name (title, alias, id) ranks
first; then bm25 with title and alias columns weighted above attributes, summary and body.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from carmm_desktop.content import text as textutil
from carmm_desktop.content.fts import FTS_WEIGHTS, NAME_FTS_WEIGHTS, PRECOMPUTED_DEPTH, PRECOMPUTED_PREFIX_LENGTH
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


class ParsedQuery(NamedTuple):
    """A query split into what FTS5 should match and what filters apply (made by parse_query)."""

    terms: list[str]  # raw words, as typed
    phrases: list[list[str]]  # folded words of each "phrase"
    excluded: list[str]
    kinds: list[str]
    statuses: list[str]
    prefix_last: bool
    problems: list[str]  # filter values that matched nothing

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases)


class SearchResult(NamedTuple):
    id: str
    kind: str
    title: str
    snippet: str  # safe HTML: escaped text with <b>…</b> around matches
    score: float  # higher is better


class SearchResponse(NamedTuple):
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
    terms: list[str] = []
    phrases: list[list[str]] = []
    excluded: list[str] = []
    kinds: list[str] = []
    statuses: list[str] = []
    problems: list[str] = []
    raw = raw.replace("\x00", " ")
    # Quoted phrases first; an unbalanced quote simply quotes to the end of the text.
    phrase_end = -1
    for match in re.finditer(r'"([^"]*)("|$)', raw):
        folded = textutil.words(match.group(1))
        if folded:
            phrases.append(folded)
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
                (kinds if name == "kind" else statuses).extend(found)
            else:
                problems.append(f"unknown {name} '{value}'")
            continue
        if token.startswith("-") and len(token) > 1 and textutil.words(token[1:]):
            excluded.append(token[1:])
            continue
        if textutil.words(token):
            terms.append(token)
    # The last word is still being typed unless a space or a phrase follows it.
    prefix_last = bool(terms) and not raw[-1:].isspace() and phrase_end != len(raw)
    return ParsedQuery(terms, phrases, excluded, kinds, statuses, prefix_last, problems)


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
    if prefix and len(parts[-1]) > 2 and parts[-1].endswith("y"):
        # The porter stemmer turns a final "y" into "i", so "carvy"* would miss "carvykti".
        alternatives.append(_quote(" ".join([*parts[:-1], parts[-1][:-1]])) + star)
    if len(parts) > 1:
        alternatives.append(_quote("".join(parts)) + star)
    expansion = (expansions or {}).get("".join(parts))
    if expansion:
        alternatives.append(_quote(" ".join(textutil.words(expansion))))
    return alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"


COMMON_SHARE = 0.3  # a word in more than this share of entries is "common" here
NAMES_FIRST_ENOUGH = 5  # names-first results needed before the full text is skipped


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
    for word in parsed.excluded:
        match += " NOT " + _term_expression(word, prefix=False)
    return match


def _safe_snippet(raw: str) -> str:
    escaped = textutil.escape_html(raw, quote=False)
    return escaped.replace(_HIGHLIGHT_OPEN, "<b>").replace(_HIGHLIGHT_CLOSE, "</b>")


# Two-stage ranking. FTS5's bm25 retrieves candidates, but in a corpus that is all about CAR T in
# myeloma, words like "BCMA", "CAR" or "relapse" occur in most entries and bm25 gives them almost no
# weight. The second stage adds what a clinician means: how much of the query the entry's title and
# aliases cover, and which kind of entry the question asks for ("after relapse" -> salvage).
CANDIDATES = 120
COVERAGE_WEIGHT = 6.0
OWN_NAME_WEIGHT = 2.0
INTENT_WEIGHT = 3.5
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
NEAR_NAME_MIN_LENGTH = 6


def _stem_match(query_word: str, name_word: str, prefix: bool) -> bool:
    if name_word == query_word or (prefix and name_word.startswith(query_word)):
        return True
    # Cheap stemming for coverage: "relapse" ~ "relapsing", "toxicity" ~ "toxicities".
    return len(query_word) >= 5 and name_word.startswith(query_word[:-2]) and len(name_word) <= len(query_word) + 4


def _coverage(units: list[list[str]], name_words: frozenset[str], prefix_last: bool) -> float:
    """The share of the query's units (a typed term or a phrase) that `name_words` cover; the last
    unit may be a prefix while it is typed."""
    if not units:
        return 0.0

    def covers(unit: list[str], last: bool) -> bool:
        if "".join(unit) in name_words:
            return True
        return all(any(_stem_match(word, name, last and prefix_last) for name in name_words) for word in unit)

    return sum(1 for i, unit in enumerate(units) if unit and covers(unit, i == len(units) - 1)) / len(units)


# One candidate row: (fts rowid, entry id, kind, title, summary, name words, keyword words, bm25 as a
# gain); the words are space-separated, precomputed by the compiler (models.ENTRY).
Candidate = tuple[int, str, str, str, str, str, str, float]
# A ranked row before its snippet: (score, entry rowid, entry id, kind, title, summary).
Ranked = tuple[float, int, str, str, str, str]


def _short_prefix(parsed: ParsedQuery) -> str | None:
    """The folded word when the query is one short word still being typed ("C", "ca", "BCM")."""
    if len(parsed.terms) != 1 or parsed.phrases or parsed.excluded or not parsed.prefix_last:
        return None
    word = "".join(textutil.words(parsed.terms[0]))
    return word if 0 < len(word) <= PRECOMPUTED_PREFIX_LENGTH else None


def _highlighter(parsed: ParsedQuery, expansions: dict[str, str]) -> re.Pattern[str] | None:
    """A pattern for the words a snippet should bold: the typed words (the last as a prefix while it
    is typed, longer ones with their inflections, as the porter stemmer matched them), phrase words
    and the words of expanded abbreviations."""
    wanted: dict[str, bool] = {}  # word -> match as a prefix
    meaningful = [t for t in parsed.terms if textutil.fold(t) not in STOP_WORDS] or parsed.terms
    for term in meaningful:
        parts = textutil.words(term)
        for position, part in enumerate(parts):
            is_prefix = parsed.prefix_last and term is parsed.terms[-1] and position == len(parts) - 1
            wanted[part] = wanted.get(part, False) or is_prefix
        if len(parts) > 1:
            wanted.setdefault("".join(parts), False)
    for phrase in parsed.phrases:
        for part in phrase:
            wanted.setdefault(part, False)
    for expansion in expansions.values():
        for part in textutil.words(expansion):
            if part not in STOP_WORDS:
                wanted.setdefault(part, False)
    patterns = []
    for word, is_prefix in wanted.items():
        if is_prefix:
            patterns.append(re.escape(word) + "[0-9a-z]*")
        elif len(word) >= 5:
            patterns.append(re.escape(word[:-2]) + "[0-9a-z]{0,6}")
        else:
            patterns.append(re.escape(word) + "(?:s|es)?")
    if not patterns:
        return None
    alternatives = "|".join(sorted(patterns, key=len, reverse=True))
    return re.compile(r"(?<![0-9a-z])(?:" + alternatives + r")(?![0-9a-z])", re.IGNORECASE)


SNIPPET_WORDS = 16


def highlighted_window(text: str, pattern: re.Pattern[str] | None, words: int = SNIPPET_WORDS) -> str | None:
    """About `words` words of `text` around its first match, matches marked, or None without one.
    Plain Python over the stored text: FTS5's snippet() re-runs the query per row, which costs
    seconds for a short prefix on a large corpus."""
    if pattern is None:
        return None
    first = pattern.search(text)
    if first is None:
        return None
    start, reach = first.start(), 12 * words  # only a slice around the hit is split: bodies are long
    after = text[start : start + reach].split()
    more_after = start + reach < len(text)
    if more_after and after:
        after.pop()  # may be cut mid-word
    before_text = text[max(0, start - reach) : start]
    before = before_text.split()
    if start > reach and before:
        before.pop(0)  # may be cut mid-word
    if before and after and not before_text[-1].isspace():
        after[0] = before.pop() + after[0]  # the hit starts inside a token: "(Carvykti"
    lead = min(len(before), max(3, words - len(after)))
    more_after = more_after or len(after) > words - lead
    after = after[: words - lead]
    window = " ".join(before[len(before) - lead :] + after)
    marked = pattern.sub(lambda m: _HIGHLIGHT_OPEN + m.group(0) + _HIGHLIGHT_CLOSE, window)
    return ("…" if lead < len(before) or start > reach else "") + marked + ("…" if more_after else "")


class SearchEngine:
    """Ranked search over one `ContentRepository`.

    Three paths, each bounded whatever the corpus size: a one- to three-letter word being typed reads
    its precomputed answer (prefix_top); words that are in most entries rank the entries that carry
    them in their names (name_fts, small doclists); everything else ranks the full text by bm25.
    A second stage then adds what bm25 cannot see (see `_rescored`)."""

    def __init__(self, repository: ContentRepository, *, precomputed: bool = True) -> None:
        self.repository = repository
        self.precomputed = precomputed
        self._names: dict[str, str] | None = None  # folded name -> name, for suggestions
        self._vocabulary: dict[str, list[str]] = {}  # first two letters -> indexed words
        self._document_share: dict[str, float] = {}
        # entry id -> (its name words, those plus its keyword words), as sets: made once per entry
        self._name_words: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
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
        if not found:
            found = self._near_exact_ids(connection, key)
        return found

    def _near_exact_ids(self, connection, key: str) -> list[str]:
        """The one entry whose name is a single typo away from `key` ("ciltacell" -> cilta-cel).
        Only for letter-only names of six or more letters, where one edit cannot turn one real
        name into another ("CARTITUDE-3" must not become CARTITUDE-1), and only when unambiguous."""
        if len(key) < NEAR_NAME_MIN_LENGTH or not key.isalpha():
            return []
        from rapidfuzz.distance import Levenshtein

        rows = connection.execute(
            "SELECT match_key, entry_id FROM name WHERE match_key >= :low AND match_key < :high",
            {"low": key[:2], "high": key[0] + chr(ord(key[1]) + 1)},
        ).all()
        near = {
            entry_id
            for name, entry_id in rows
            if name.isalpha()
            and abs(len(name) - len(key)) <= 1
            and Levenshtein.distance(name, key, score_cutoff=1) <= 1
        }
        return list(near) if len(near) == 1 else []

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
        highlight = _highlighter(parsed, expansions)
        short = _short_prefix(parsed)
        if short is not None:
            ranked = self._stored_prefix(connection, short, kinds, statuses, limit) if self.precomputed else None
            if ranked is None:
                ranked = self._short_ranked(connection, parsed, kinds, statuses, limit, exact, expansions)
            # A three-letter word that few names carry ("mye") is looked up in the full text too.
            if len(ranked) >= min(limit, NAMES_FIRST_ENOUGH) or len(short) < PRECOMPUTED_PREFIX_LENGTH:
                return self._results(connection, ranked, highlight)
        ranked = []
        match = build_match(parsed, expansions=expansions)
        if self._all_common(connection, parsed):
            # Every word is in most entries, so ranking them all by bm25 is slow (it grows with
            # the corpus) and says little. Rank the entries that carry the words in their names;
            # search the whole text only if they are too few.
            rows = self._candidates(connection, "name_fts", match, kinds, statuses)
            ranked = self._rescored(parsed, rows, exact, limit)
        if len(ranked) < min(limit, NAMES_FIRST_ENOUGH):
            ranked = self._rescored(
                parsed, self._candidates(connection, "entry_fts", match, kinds, statuses), exact, limit
            )
        if not ranked:
            # Nothing has every word: fall back to entries with most of them.
            match = build_match(parsed, any_term=True, expansions=expansions)
            ranked = self._rescored(
                parsed, self._candidates(connection, "entry_fts", match, kinds, statuses), exact, limit
            )
        return self._results(connection, ranked, highlight)

    def _short_ranked(
        self,
        connection,
        parsed: ParsedQuery,
        kinds: list[str],
        statuses: list[str],
        limit: int,
        exact: list[str],
        expansions: dict[str, str],
    ) -> list[Ranked]:
        """A short word being typed matches names only: what a typist of "Ca" means is a name."""
        match = build_match(parsed, expansions=expansions)
        return self._rescored(parsed, self._candidates(connection, "name_fts", match, kinds, statuses), exact, limit)

    def _stored_prefix(
        self, connection, prefix: str, kinds: list[str], statuses: list[str], limit: int
    ) -> list[Ranked] | None:
        """The precomputed answer for `prefix`, filtered; None when it cannot answer for certain
        (no stored answer, a limit beyond its depth, or a filter that leaves a full list short)."""
        if limit > PRECOMPUTED_DEPTH:
            return None
        rows = connection.execute(
            "SELECT p.score, p.entry_rowid, e.id, e.kind, e.title, e.summary, e.status FROM prefix_top p "
            "JOIN name_fts n ON n.rowid = p.entry_rowid JOIN entry e ON e.id = n.entry_id "
            "WHERE p.prefix = :p ORDER BY p.position",
            {"p": prefix},
        ).all()
        if not rows:
            return None
        kept = [
            (float(score), rowid, entry_id, kind, title, summary)
            for score, rowid, entry_id, kind, title, summary, status in rows
            if (not kinds or kind in kinds) and (not statuses or status in statuses)
        ]
        if len(kept) < limit and len(rows) >= PRECOMPUTED_DEPTH:
            return None
        return kept[:limit]

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

    def _candidates(
        self, connection, table: str, match: str | None, kinds: list[str], statuses: list[str]
    ) -> list[Candidate]:
        """The best `CANDIDATES` entries for `match` by bm25 over `table` (entry_fts or name_fts)."""
        if match is None:
            return []
        weights = ", ".join(str(w) for w in (FTS_WEIGHTS if table == "entry_fts" else NAME_FTS_WEIGHTS))
        params: dict[str, object] = {"match": match, "rank": f"bm25(0, {weights})"}
        filters = []
        for name, values in (("kind", kinds), ("status", statuses)):
            if values:
                keys = [f"{name}{i}" for i in range(len(values))]
                filters.append(f"e.{name} IN ({', '.join(':' + k for k in keys)})")
                params.update(zip(keys, values, strict=True))
        # `rank MATCH` sets bm25's column weights once and lets FTS5 sort by it itself; calling
        # bm25() in SELECT and ORDER BY scores every matching row twice (about 3x slower at scale).
        inner = (
            f"SELECT rowid, entry_id, rank FROM {table} WHERE {table} MATCH :match AND rank MATCH :rank ORDER BY rank"
        )
        if not filters:
            inner += f" LIMIT {CANDIDATES}"
        return connection.execute(
            (
                f"SELECT f.rowid, e.id, e.kind, e.title, e.summary, e.name_words, e.keyword_words, -f.rank FROM ({inner}) f "
                f"JOIN entry e ON e.id = f.entry_id {'WHERE ' + ' AND '.join(filters) if filters else ''} "
                f"ORDER BY f.rank LIMIT {CANDIDATES}"
            ),
            params,
        ).all()

    def _rescored(self, parsed: ParsedQuery, candidates: list[Candidate], exact: list[str], limit: int) -> list[Ranked]:
        """Second stage: bm25 plus how much of the query the names cover and what kind it asks for."""
        # Each typed term is one unit ("cilta-cel" is one, not two); phrases are units too.
        units = [textutil.words(t) for t in parsed.terms if textutil.fold(t) not in FILLER_WORDS]
        units += [list(phrase) for phrase in parsed.phrases]
        all_words = textutil.words(" ".join(parsed.terms))
        wanted_kinds = {kind for kind, cues in INTENT_WORDS.items() if any(w in cues for w in all_words)}
        scored = []
        for rowid, entry_id, kind, title, summary, name_words, keyword_words, bm25 in candidates:
            words = self._name_words.get(entry_id)
            if words is None:
                own = frozenset(name_words.split())
                words = self._name_words[entry_id] = (own, own.union(keyword_words.split()))
            own_names, all_names = words
            # Names and keywords (tags, compounds anywhere in the entry) count fully; the entry's
            # own title and aliases a little more, so "ciltacell" ranks cilta-cel above the many
            # entries that merely mention it.
            score = (
                float(bm25)
                + COVERAGE_WEIGHT * _coverage(units, all_names, parsed.prefix_last)
                + OWN_NAME_WEIGHT * _coverage(units, own_names, parsed.prefix_last)
                + (INTENT_WEIGHT if kind in wanted_kinds else 0.0)
            )
            if entry_id in exact:
                score += EXACT_NAME_BONUS
            scored.append((round(score, 4), title.casefold(), rowid, entry_id, kind, title, summary))
        scored.sort(key=lambda row: (-row[0], row[1]))
        return [
            (score, rowid, entry_id, kind, title, summary) for score, _, rowid, entry_id, kind, title, summary in scored
        ][: max(1, min(limit, 500))]

    def _results(self, connection, ranked: list[Ranked], highlight: re.Pattern[str] | None) -> list[SearchResult]:
        """Results with a snippet: the first highlighted passage of the summary, else of the body,
        else the start of the summary."""
        texts: dict[int, tuple[str, str]] = {}
        if ranked and highlight is not None:
            rowids = ", ".join(str(int(row[1])) for row in ranked)
            rows = connection.execute(f"SELECT rowid, summary, body FROM entry_fts WHERE rowid IN ({rowids})").all()
            texts = {rowid: (summary, body) for rowid, summary, body in rows}
        results = []
        for score, rowid, entry_id, kind, title, summary in ranked:
            summary_text, body_text = texts.get(rowid, ("", ""))
            snippet = highlighted_window(summary_text, highlight) or highlighted_window(body_text, highlight)
            if snippet is None:
                snippet = textutil.markdown_to_plain(summary)
                snippet = snippet if len(snippet) <= 160 else snippet[:157].rstrip() + "…"
            results.append(SearchResult(entry_id, kind, title, _safe_snippet(snippet), round(score, 4)))
        return results

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


def precomputed_prefix_rows(db_path: Path) -> list[tuple[str, int, int, float]]:
    """(prefix, position, entry rowid, score) for every one- to three-letter prefix of a name word,
    ranked by the live short-prefix code with no filters, so a stored answer equals a live one."""
    repository = ContentRepository(db_path)
    try:
        engine = SearchEngine(repository, precomputed=False)
        with repository.connect() as connection:
            terms = connection.execute("SELECT term FROM name_fts_vocab").scalars()
            prefixes = sorted(
                {term[:n] for term in terms for n in range(1, PRECOMPUTED_PREFIX_LENGTH + 1) if len(term) >= n}
            )
            rows = []
            for prefix in prefixes:
                if not re.fullmatch(r"[0-9a-z]+", prefix):
                    continue
                parsed = parse_query(prefix)
                if _short_prefix(parsed) != prefix:
                    continue
                exact = engine._exact_ids(connection, prefix)
                expansions = engine._expansions_for(connection, parsed)
                ranked = engine._short_ranked(connection, parsed, [], [], PRECOMPUTED_DEPTH, exact, expansions)
                rows += [(prefix, i, row[1], row[0]) for i, row in enumerate(ranked)]
        return rows
    finally:
        repository.close()
