"""Spaced repetition of study cards with FSRS (the `fsrs` library), state kept in the user DB.

FSRS rather than SM-2: it is the scheduler Anki now ships, models memory with stability and
difficulty, and the maintained library does the maths; its state is a small JSON object per card.
Cards are identified by stable ids (see content/study.py), so reviews survive content rebuilds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from carmm_desktop.userdata.store import UserStore

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def _scheduler():
    from fsrs import Scheduler

    # No fuzzing: the same history gives the same schedule (testable, explainable).
    return Scheduler(enable_fuzzing=False)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def review(store: UserStore, card_id: str, rating: int, now: dt.datetime | None = None) -> dt.datetime:
    """Grade a card (1 again … 4 easy), store the review, return when it is next due."""
    from fsrs import Card, Rating

    if rating not in RATINGS:
        raise ValueError(f"rating must be 1-4, not {rating}")
    now = now or utc_now()
    stored = store.study_states().get(card_id)
    card = Card.from_dict(json.loads(stored[0])) if stored else Card()
    card, _log = _scheduler().review_card(card, Rating(rating), now)
    store.record_review(card_id, json.dumps(card.to_dict(), sort_keys=True), _iso(card.due), rating, _iso(now))
    return card.due


def interval_after(store: UserStore, card_id: str) -> dt.timedelta | None:
    """Time from the last review to the next due date (None if never reviewed)."""
    stored = store.study_states().get(card_id)
    if not stored:
        return None
    state = json.loads(stored[0])
    return dt.datetime.fromisoformat(state["due"]) - dt.datetime.fromisoformat(state["last_review"])


def due_card_ids(
    store: UserStore, card_ids: Iterable[str], now: dt.datetime | None = None, new_limit: int = 20
) -> list[str]:
    """Cards to review now: those due (earliest first), then up to `new_limit` never-seen cards."""
    now_iso = _iso(now or utc_now())
    states = store.study_states()
    due, new = [], []
    for card_id in card_ids:
        if card_id in states:
            if states[card_id][1] <= now_iso:
                due.append((states[card_id][1], card_id))
        else:
            new.append(card_id)
    return [card_id for _due, card_id in sorted(due)] + new[:new_limit]


@dataclass(frozen=True)
class Progress:
    due_now: int
    reviewed_today: int
    retention_30d: float | None  # share of reviews of known cards not graded "again"
    streak_days: int
    per_day: list[tuple[str, int]]  # the last 14 days: (date, reviews)


def progress(store: UserStore, card_ids: Iterable[str], now: dt.datetime | None = None) -> Progress:
    now = now or utc_now()
    ids = list(card_ids)
    states = store.study_states()
    now_iso = _iso(now)
    due_now = sum(1 for card_id in ids if card_id in states and states[card_id][1] <= now_iso)
    log = store.review_log()
    by_day: dict[str, int] = {}
    for _card, _rating, at in log:
        day = dt.datetime.fromisoformat(at).astimezone().date().isoformat()
        by_day[day] = by_day.get(day, 0) + 1
    today = now.astimezone().date()
    recent = [r for _c, r, at in log if dt.datetime.fromisoformat(at) >= now - dt.timedelta(days=30)]
    retention = (sum(1 for r in recent if r > 1) / len(recent)) if recent else None
    streak = 0
    day = today
    if day.isoformat() not in by_day:
        day -= dt.timedelta(days=1)  # a streak is not broken before today's session
    while day.isoformat() in by_day:
        streak += 1
        day -= dt.timedelta(days=1)
    per_day = [
        (
            (today - dt.timedelta(days=offset)).isoformat(),
            by_day.get((today - dt.timedelta(days=offset)).isoformat(), 0),
        )
        for offset in range(13, -1, -1)
    ]
    return Progress(due_now, by_day.get(today.isoformat(), 0), retention, streak, per_day)
