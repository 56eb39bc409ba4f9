"""Study mode: generated cards are true to the content, distractors are never right, the FSRS
schedule grows with good grades and shrinks with lapses, and review state survives restarts and
content rebuilds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from carmm_desktop.cli import main
from carmm_desktop.content import study
from carmm_desktop.content.compile import build_database
from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.userdata import study as schedule
from carmm_desktop.userdata.store import UserStore


@pytest.fixture(scope="module")
def cards(shipped_db) -> list[study.StudyCard]:
    return study.generate_cards(ContentRepository(shipped_db))


@pytest.fixture(scope="module")
def entries(shipped_db) -> dict:
    return {entry.id: entry for entry in ContentRepository(shipped_db).all_entries()}


def test_every_kind_of_card_is_generated(cards) -> None:
    prefixes = {card.id.split(":")[0] for card in cards}
    assert prefixes == {"attr", "rel", "id"}
    assert len(cards) >= 250
    assert len({card.id for card in cards}) == len(cards)  # ids are unique


def test_every_answer_is_true_in_the_content(cards, entries) -> None:
    for card in cards:
        entry = entries[card.entry_id]
        kind, _entry_id, *rest = card.id.split(":")
        if kind == "attr":
            value = next(a.value for a in entry.attributes if a.name == rest[0])
            assert card.answer == study.plain(value)
        elif kind == "id":
            assert card.answer == entry.title
        elif len(rest) == 2:  # a multiple-choice relation card
            relation_type, target_id = rest
            assert any(
                link.outgoing and link.type == relation_type and link.entry.id == target_id for link in entry.links
            )
            assert card.answer == entries[target_id].title
        else:  # free recall: every linked strategy is listed
            titles = [link.entry.title for link in entry.links if link.outgoing and link.type == rest[0]]
            assert card.answer == "; ".join(titles)
        assert card.reference  # traceable to a source


def test_distractors_are_never_the_answer_nor_also_true(cards, entries) -> None:
    for card in cards:
        options = [card.answer, *card.distractors]
        assert len(set(options)) == len(options), card.id
        for distractor in card.distractors:
            assert not study._same(distractor, card.answer), (card.id, distractor)
        if card.id.startswith("rel:") and card.distractors:
            _kind, entry_id, relation_type, _target = card.id.split(":")
            true_titles = {link.entry.title for link in entries[entry_id].links if link.type == relation_type}
            assert not set(card.distractors) & true_titles, card.id


def test_identify_cards_do_not_give_the_name_away(cards, entries) -> None:
    for card in (c for c in cards if c.id.startswith("id:")):
        entry = entries[card.entry_id]
        for name in [entry.title, *[a for a in entry.aliases if len(a) >= 4]]:
            assert name.lower() not in card.question.lower(), (card.id, name)


def test_cards_ids_are_stable_across_rebuilds(shipped_db, tmp_path: Path, cards) -> None:
    from tests.conftest import CONTENT_SOURCES

    rebuilt = build_database(CONTENT_SOURCES, tmp_path / "again.sqlite").path
    assert [c.id for c in study.generate_cards(ContentRepository(rebuilt))] == [c.id for c in cards]


def test_note_cards_and_decks(cards) -> None:
    class Note:
        uid, entry_id, tags = "u" * 32, "crs", ["exam"]
        body = "Some text\nQ: First-line drug for grade 2 CRS at our centre?\nA: Tocilizumab\nmore\nQ: x?\nA: y"

    mine = study.note_cards([Note()])
    assert [(c.question, c.answer) for c in mine] == [
        ("First-line drug for grade 2 CRS at our centre?", "Tocilizumab"),
        ("x?", "y"),
    ]
    assert study.deck_cards(cards + mine, "my-notes") == mine
    assert all(c.deck_kind == "product" for c in study.deck_cards(cards, "products"))
    assert {c.entry_id for c in study.deck_cards(cards, "bookmarks", bookmarks=["cilta-cel"])} == {"cilta-cel"}
    with pytest.raises(KeyError):
        study.deck_cards(cards, "nonsense")


def test_intervals_grow_with_good_grades_and_shrink_with_a_lapse(tmp_path: Path) -> None:
    store = UserStore.open(tmp_path / "notes.sqlite")
    now = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
    intervals = []
    for _ in range(4):
        now = schedule.review(store, "card-1", 3, now)
        intervals.append(schedule.interval_after(store, "card-1"))
    assert intervals == sorted(intervals) and intervals[-1] > intervals[1]
    schedule.review(store, "card-1", 1, now)
    assert schedule.interval_after(store, "card-1") < intervals[-1]
    assert [rating for _c, rating, _at in store.review_log()] == [3, 3, 3, 3, 1]
    store.close()


def test_review_state_survives_a_restart_and_export_import(tmp_path: Path) -> None:
    from carmm_desktop.userdata import transfer

    store = UserStore.open(tmp_path / "notes.sqlite")
    now = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
    due = schedule.review(store, "attr:ide-cel:target", 4, now)
    store.close()
    reopened = UserStore.open(tmp_path / "notes.sqlite")
    assert schedule.due_card_ids(reopened, ["attr:ide-cel:target"], now) == []
    assert schedule.due_card_ids(reopened, ["attr:ide-cel:target"], due + dt.timedelta(minutes=1)) == [
        "attr:ide-cel:target"
    ]
    transfer.export_json(reopened, tmp_path / "export.json")
    fresh = UserStore.open(tmp_path / "fresh.sqlite")
    transfer.import_notes(fresh, tmp_path / "export.json")
    assert fresh.study_states() == reopened.study_states() and fresh.review_log() == reopened.review_log()
    progress = schedule.progress(fresh, ["attr:ide-cel:target"], now)
    assert progress.reviewed_today == 1 and progress.retention_30d == 1.0 and progress.streak_days == 1
    reopened.close()
    fresh.close()


def test_cli_study_cards_json(shipped_db, capsys) -> None:
    code = main(
        ["--content-db", str(shipped_db), "study", "cards", "--deck", "products", "--count", "5", "--format", "json"]
    )
    rows = json.loads(capsys.readouterr().out)
    assert code == 0 and len(rows) == 5
    assert all(set(row) >= {"question", "answer", "distractors", "entry_id", "reference"} for row in rows)


def test_cli_quiz_records_reviews(shipped_db, tmp_path: Path, monkeypatch, capsys) -> None:
    replies = iter(["1", "2", ""])
    monkeypatch.setattr("builtins.input", lambda _prompt="": next(replies))
    code = main(
        [
            "--content-db",
            str(shipped_db),
            "--profile",
            str(tmp_path / "p"),
            "study",
            "quiz",
            "--deck",
            "trials",
            "--count",
            "3",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "[1/3]" in out and "Next review:" in out
    store = UserStore.open(tmp_path / "p" / "notes.sqlite")
    assert len(store.review_log()) == 2
    store.close()


def test_cli_unknown_deck(shipped_db, capsys) -> None:
    assert main(["--content-db", str(shipped_db), "study", "cards", "--deck", "zzz"]) == 1
    assert "unknown deck 'zzz'" in capsys.readouterr().err


def test_keyboard_review_session(qtbot, shipped_window) -> None:
    window = shipped_window
    window.show_study()
    view = window.study_view
    assert "Preparing the cards" in view.card_view.toPlainText()  # generated off the GUI thread
    qtbot.waitUntil(lambda: view.current is not None, timeout=10_000)
    view.deck.setCurrentIndex(view.deck.findData("trials"))
    first = view.current
    assert first is not None and first.question in view.card_view.toPlainText()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.revealed and first.answer in view.card_view.toPlainText()
    assert "Open the entry" in view.card_view.toPlainText()
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert view.current is not first and not view.revealed
    assert window.store.review_log()[-1][:2] == (first.id, 3)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.keyClick(view, Qt.Key.Key_1)  # "again": comes back at the end of the session
    assert view.queue[-1].id != first.id
    assert "Reviewed today: 2" in view.stats.text()
    view.reveal()
    view.card_view.entryLinkActivated.emit(view.current.entry_id)
    assert window.current_entry_id == view.current.entry_id


def test_tag_decks_are_offered(qtbot, shipped_window) -> None:
    view = shipped_window.study_view
    shipped_window.show_study()
    qtbot.waitUntil(lambda: view.current is not None, timeout=10_000)
    tags = [view.deck.itemData(i) for i in range(view.deck.count()) if str(view.deck.itemData(i)).startswith("tag:")]
    assert "tag:BCMA" in tags
    view.deck.setCurrentIndex(view.deck.findData("tag:BCMA"))
    assert view.current is not None and "BCMA" in view.current.tags
