"""Question cards generated from the reference (no Qt), each traceable to its entry and reference.

Card types: attribute recall ("Phase of KarMMa-3?"), matching through relations (product -> target
antigen, agent -> target, trial -> product, mechanism -> strategy, toxicity -> drug), which-one-is-it
from a description, and the user's own `Q:`/`A:` cards written in notes. Multiple-choice
distractors come from entries of the same kind; a distractor is never the answer, never a second
copy of another option, and never a value that is also true for the question.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from carmm_desktop.content import text as textutil
from carmm_desktop.content.repository import ContentRepository, EntryDetail
from carmm_desktop.content.schema import KINDS

DISTRACTORS = 3
MAX_ANSWER_CHARS = 70

# Attributes whose values are short and discriminating enough to ask about.
RECALL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "product": ("target", "cell_source", "gene_transfer", "developer"),
    "agent": ("agent_class", "target"),
    "trial": ("phase", "nct", "comparator"),
    "antigen": ("gene",),
}
# Relation type -> (question template, kinds of the answer, kinds wrong options are drawn from).
# Wrong options must be certainly wrong: CAR T products were never the comparator arm of a trial
# here, and drugs that target myeloma never treat a toxicity (an unlinked supportive drug might).
RELATION_QUESTIONS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "targets": ("Which antigen does {source} target?", ("antigen",), ("antigen",)),
    "studies": ("Which therapy was studied in {source}?", ("product", "agent"), ("product",)),
    "managed_with": ("Which drug is used to manage {source}?", ("agent",), ("agent",)),
}
# Relations asked as free recall: many strategies plausibly address a mechanism, so a wrong option
# could be true in practice even when the content does not link it.
RECALL_RELATIONS: dict[str, str] = {
    "addressed_by": "Name strategies that address “{source}”.",
}
DECKS: dict[str, tuple[str, ...]] = {
    "all": tuple(KINDS),
    "products": ("product",),
    "antigens": ("antigen",),
    "agents": ("agent",),
    "trials": ("trial",),
    "mechanisms": ("mechanism",),
    "toxicities": ("toxicity",),
    "safety": ("safety-switch",),
    "salvage": ("salvage",),
    "designs": ("design",),
    "risk-factors": ("risk-factor",),
}
Q_A_RE = re.compile(r"^\s*Q:\s*(?P<q>.+?)\s*\n\s*A:\s*(?P<a>.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class StudyCard:
    id: str  # stable across content rebuilds while the entry and question exist
    deck_kind: str  # the kind of the entry the card is about
    question: str
    answer: str
    distractors: tuple[str, ...] = ()
    entry_id: str | None = None
    reference: str = ""  # citation of the source of the answer
    explanation: str = ""  # shown after answering: the entry's summary
    tags: tuple[str, ...] = field(default=())

    def options(self, seed: str = "") -> list[str]:
        """Answer and distractors in a stable shuffled order (the same for the same card)."""
        options = [self.answer, *self.distractors]
        random.Random(hashlib.sha256((self.id + seed).encode()).hexdigest()).shuffle(options)
        return options


def plain(value: str) -> str:
    """A value as it is asked and answered: no citations, no Markdown."""
    return textutil.markdown_to_plain(value)


GENERIC_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "or",
        "of",
        "the",
        "with",
        "in",
        "on",
        "for",
        "to",
        "by",
        "phase",
        "car",
        "cars",
        "t",
        "cell",
        "cells",
        "one",
        "two",
        "single",
        "study",
        "trial",
    ]
)
_IDENTIFIER_RE = re.compile(r"\b(?=[A-Za-z0-9-]*\d|[A-Z]{3,})[A-Za-z0-9-]{3,}\b")


def _content_words(value: str) -> set[str]:
    return {word for word in textutil.words(value) if word not in GENERIC_WORDS}


def _same(a: str, b: str) -> bool:
    """Values that say the same thing, or partly so: one cannot be a wrong answer to the other.

    True when one contains the other, when half or more of the candidate's words are in the other,
    or when they share an identifier (an antigen like BCMA, a code like NCT…, a number-bearing name).
    """
    fa, fb = textutil.key(a), textutil.key(b)
    if fa == fb or (min(len(fa), len(fb)) >= 4 and (fa in fb or fb in fa)):
        return True
    words_a, words_b = _content_words(a), _content_words(b)
    if words_a and len(words_a & words_b) * 2 >= len(words_a):
        return True
    identifiers_a = {textutil.key(m) for m in _IDENTIFIER_RE.findall(a)}
    identifiers_b = {textutil.key(m) for m in _IDENTIFIER_RE.findall(b)}
    return bool(identifiers_a & identifiers_b)


def _pick_distractors(answer: str, pool: Iterable[str], also_true: Iterable[str], seed: str) -> tuple[str, ...]:
    excluded = [answer, *also_true]
    chosen: list[str] = []
    candidates = sorted(set(pool))
    random.Random(seed).shuffle(candidates)
    for candidate in candidates:
        if len(candidate) > MAX_ANSWER_CHARS or not candidate.strip():
            continue
        if any(_same(candidate, other) for other in [*excluded, *chosen]):
            continue
        chosen.append(candidate)
        if len(chosen) == DISTRACTORS:
            break
    return tuple(chosen)


def _first_reference(entry: EntryDetail, value: str | None = None) -> str:
    keys = textutil.cited_keys(value) if value else []
    by_key = {reference.key: reference for reference in entry.references}
    for key in keys:
        if key in by_key:
            return by_key[key].citation
    return entry.references[0].citation if entry.references else ""


def short_name(entry: EntryDetail) -> str:
    """The name a question uses: "cilta-cel" for "Ciltacabtagene autoleucel (cilta-cel)", "BM38 CAR T"
    for "BM38 CAR T (bispecific BCMA/CD38 CAR)", "KarMMa-3" for "KarMMa-3 (ide-cel vs ...)"."""
    match = re.search(r"^(.*?)\s*\(([^)]*)\)\s*$", entry.title)
    if not match or entry.kind not in ("product", "agent", "trial"):
        return entry.title
    before, inside = match.group(1), match.group(2)
    aliases = {textutil.key(alias) for alias in entry.aliases}
    return inside if textutil.key(inside) in aliases and entry.kind == "product" else before


def generate_cards(repository: ContentRepository) -> list[StudyCard]:
    """Every card the content supports, in a stable order."""
    entries = {entry.id: entry for entry in repository.all_entries()}
    cards: list[StudyCard] = []
    cards += _recall_cards(entries)
    cards += _relation_cards(entries)
    cards += _identify_cards(entries)
    return cards


def _recall_cards(entries: dict[str, EntryDetail]) -> list[StudyCard]:
    cards = []
    for kind, attribute_names in RECALL_ATTRIBUTES.items():
        members = [e for e in entries.values() if e.kind == kind]
        labels = dict(KINDS[kind].attributes)
        for name in attribute_names:
            values = {e.id: plain(a.value) for e in members for a in e.attributes if a.name == name}
            for entry in members:
                answer = values.get(entry.id)
                if not answer or len(answer) > MAX_ANSWER_CHARS or answer.lower() in ("not reported", "none"):
                    continue
                card_id = f"attr:{entry.id}:{name}"
                distractors = _pick_distractors(answer, values.values(), [], card_id)
                if len(distractors) < 2:
                    continue
                raw_value = next(a.value for a in entry.attributes if a.name == name)
                cards.append(
                    StudyCard(
                        card_id,
                        kind,
                        f"{labels[name]} — {short_name(entry)}?",
                        answer,
                        distractors,
                        entry.id,
                        _first_reference(entry, raw_value),
                        plain(entry.summary),
                        tuple(entry.tags),
                    )
                )
    return cards


def _linked_ids(entry: EntryDetail) -> set[str]:
    return {link.entry.id for link in entry.links}


def _relation_cards(entries: dict[str, EntryDetail]) -> list[StudyCard]:
    cards = []
    targeted_agents = {
        e.id
        for e in entries.values()
        if e.kind == "agent" and any(link.type == "targets" and link.outgoing for link in e.links)
    }
    for entry in entries.values():
        for relation_type, template in RECALL_RELATIONS.items():
            targets = [link.entry for link in entry.links if link.outgoing and link.type == relation_type]
            if targets:
                cards.append(
                    StudyCard(
                        f"rel:{entry.id}:{relation_type}",
                        entry.kind,
                        template.format(source=entry.title),
                        "; ".join(t.title for t in targets),
                        (),
                        entry.id,
                        _first_reference(entry),
                        plain(entry.summary),
                        tuple(entry.tags),
                    )
                )
        for relation_type, (template, answer_kinds, wrong_kinds) in RELATION_QUESTIONS.items():
            targets = [link.entry for link in entry.links if link.outgoing and link.type == relation_type]
            targets = [t for t in targets if t.kind in answer_kinds]
            if not targets:
                continue
            true_titles = [t.title for t in targets]
            # Anything linked to the entry in any way (a comparator, a related drug) is not a safe
            # wrong answer, nor is anything linked to a right answer.
            unsafe = _linked_ids(entry) | {i for t in targets if t.id in entries for i in _linked_ids(entries[t.id])}
            pool = [
                e.title
                for e in entries.values()
                if e.kind in wrong_kinds
                and e.title not in true_titles
                and e.id not in unsafe
                and (relation_type != "managed_with" or e.id in targeted_agents)
            ]
            for target in targets:
                card_id = f"rel:{entry.id}:{relation_type}:{target.id}"
                distractors = _pick_distractors(target.title, pool, true_titles, card_id)
                if len(distractors) < 2:
                    continue
                question = template.format(source=short_name(entry))
                cards.append(
                    StudyCard(
                        card_id,
                        entry.kind,
                        question,
                        target.title,
                        distractors,
                        entry.id,
                        _first_reference(entry),
                        plain(entry.summary),
                        tuple(entry.tags),
                    )
                )
    return cards


def _masked_summary(entry: EntryDetail) -> str:
    """The summary with the entry's own names blanked, so the question does not give it away."""
    summary = plain(entry.summary)
    names = sorted({entry.title, short_name(entry), *entry.aliases, entry.id}, key=len, reverse=True)
    for name in names:
        if len(name) >= 3:
            summary = re.sub(re.escape(name), "▢▢▢", summary, flags=re.IGNORECASE)
    return summary


def _identify_cards(entries: dict[str, EntryDetail]) -> list[StudyCard]:
    cards = []
    for entry in entries.values():
        if entry.kind == "overview":
            continue
        description = _masked_summary(entry)
        if description.count("▢▢▢") > 3 or len(description) < 60:
            continue
        pool = [e.title for e in entries.values() if e.kind == entry.kind and e.id != entry.id]
        card_id = f"id:{entry.id}"
        distractors = _pick_distractors(entry.title, pool, [], card_id)
        if len(distractors) < 2:
            continue
        label = KINDS[entry.kind].label.lower()
        cards.append(
            StudyCard(
                card_id,
                entry.kind,
                f"Which {label} is this? {description}",
                entry.title,
                distractors,
                entry.id,
                _first_reference(entry),
                "",
                tuple(entry.tags),
            )
        )
    return cards


def note_cards(notes: Iterable) -> list[StudyCard]:
    """The user's own cards: a `Q:` line followed by an `A:` line anywhere in a note."""
    cards = []
    for note in notes:
        for index, match in enumerate(Q_A_RE.finditer(note.body)):
            cards.append(
                StudyCard(
                    f"note:{note.uid}:{index}",
                    "note",
                    match.group("q"),
                    match.group("a"),
                    (),
                    note.entry_id,
                    "Your note",
                    "",
                    tuple(note.tags),
                )
            )
    return cards


def deck_cards(cards: list[StudyCard], deck: str, *, bookmarks: Iterable[str] = ()) -> list[StudyCard]:
    """The cards of a deck: a kind group (see DECKS), "bookmarks", "my-notes" or "tag:<tag>"."""
    if deck == "my-notes":
        return [card for card in cards if card.deck_kind == "note"]
    if deck == "bookmarks":
        wanted = set(bookmarks)
        return [card for card in cards if card.entry_id in wanted]
    if deck.startswith("tag:"):
        tag = deck[4:].casefold()
        return [card for card in cards if tag in (t.casefold() for t in card.tags)]
    if deck not in DECKS:
        raise KeyError(deck)
    kinds = DECKS[deck]
    return [card for card in cards if card.deck_kind in kinds]
