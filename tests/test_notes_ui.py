"""The notes pane, My notes and notes in search, driven through real widgets."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QWidget

from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.ui import create_main_window
from carmm_desktop.ui.my_notes import NOTE_ID_ROLE
from carmm_desktop.ui.notes_pane import AUTOSAVE_DELAY_MS
from carmm_desktop.userdata.store import UserStore
from tests.conftest import REPO_ROOT


@pytest.fixture
def window(tiny_window):
    return tiny_window


def editor_of(window) -> QPlainTextEdit:
    editor = window.findChild(QPlainTextEdit, "noteEditor")
    assert editor is not None and window.findChild(QWidget, "notesPane") is not None
    return editor


def test_typing_autosaves_within_a_second(qtbot, window) -> None:
    window.show_entry("bcma")
    editor = editor_of(window)
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton)
    started = time.monotonic()
    qtbot.keyClicks(editor, "our centre: check sBCMA")
    assert window.store.list_notes(entry_id="bcma") == []  # not before typing stops
    qtbot.waitUntil(lambda: bool(window.store.list_notes(entry_id="bcma")), timeout=2000)
    elapsed = time.monotonic() - started
    assert elapsed < 1.0 + AUTOSAVE_DELAY_MS / 1000
    assert window.store.list_notes(entry_id="bcma")[0].body == "our centre: check sBCMA"
    assert "Saved" in window.notes_pane.status.text()


def test_switching_entry_saves_at_once_and_loads_the_other_note(qtbot, window) -> None:
    window.show_entry("bcma")
    qtbot.keyClicks(editor_of(window), "note on bcma")
    window.show_entry("demo-cel")  # before the autosave timer fires
    assert window.store.list_notes(entry_id="bcma")[0].body == "note on bcma"
    assert editor_of(window).toPlainText() == ""
    qtbot.keyClicks(editor_of(window), "note on demo")
    window.show_entry("bcma")
    assert editor_of(window).toPlainText() == "note on bcma"
    assert window.store.list_notes(entry_id="demo-cel")[0].body == "note on demo"


def test_focus_loss_and_close_save(qtbot, window) -> None:
    window.show_entry("bcma")
    editor = editor_of(window)
    editor.setFocus()
    qtbot.keyClicks(editor, "typed then left")
    window.search_box.setFocus()
    qtbot.waitUntil(lambda: not editor.hasFocus())
    assert window.store.list_notes(entry_id="bcma")[0].body == "typed then left"
    qtbot.keyClicks(editor, " more")
    window.close()
    assert window.store.list_notes(entry_id="bcma")[0].body == "typed then left more"


def test_tags_and_my_notes_filters(qtbot, window) -> None:
    window.show_entry("bcma")
    qtbot.keyClicks(editor_of(window), "tagged note")
    window.notes_pane.tags.setText("exam, ward")
    window.notes_pane.tags.editingFinished.emit()
    window.new_note()
    qtbot.keyClicks(editor_of(window), "a free-standing thought")
    assert window.notes_pane.save()
    qtbot.mouseClick(window.findChild(QPushButton, "myNotesButton"), Qt.MouseButton.LeftButton)
    view = window.my_notes
    assert window.left_stack.currentWidget() is view
    assert view.list.count() == 2
    view.tag_filter.setCurrentIndex(view.tag_filter.findData("exam"))
    assert [n.body for n in view.notes()] == ["tagged note"]
    view.tag_filter.setCurrentIndex(0)
    view.entry_filter.setCurrentIndex(view.entry_filter.findData("__free__"))
    assert [n.body for n in view.notes()] == ["a free-standing thought"]
    view.entry_filter.setCurrentIndex(0)
    tagged = next(
        i for i in range(view.list.count()) if "tagged" in view.list.item(i).data(Qt.ItemDataRole.UserRole + 1)
    )
    view.list.itemClicked.emit(view.list.item(tagged))
    assert window.current_entry_id == "bcma" and editor_of(window).toPlainText() == "tagged note"


def test_notes_show_in_search_marked_as_yours(qtbot, window) -> None:
    window.store.create_note("remember the comparator arm", entry_id="demo-cel")
    window.search_box.setText("comparator")
    window.run_search()
    first = window.results_list.item(0)
    assert first.data(NOTE_ID_ROLE) is not None
    assert "Your note" in first.data(Qt.ItemDataRole.UserRole + 1)
    assert window.search_box.hasFocus() or not editor_of(window).hasFocus()  # searching never steals focus


def test_a_search_before_the_notes_db_opens_is_answered_and_its_notes_join(
    qtbot, tiny_db: Path, tmp_path: Path
) -> None:
    profile = tmp_path / "returning"
    store = UserStore.open(profile / "notes.sqlite")
    store.create_note("remember the comparator arm", entry_id="demo-cel")
    store.close()
    main_window = create_main_window(profile, content_db=tiny_db)
    qtbot.addWidget(main_window)
    main_window.search_box.setText("comparator")
    main_window.run_search()  # the notes DB is not open yet: the reference answers alone
    assert not main_window.store.loaded
    assert all(
        main_window.results_list.item(i).data(NOTE_ID_ROLE) is None for i in range(main_window.results_list.count())
    )
    main_window.show()
    qtbot.waitUntil(lambda: main_window.store_reported)
    assert main_window.results_list.item(0).data(NOTE_ID_ROLE) is not None  # the note joined the results
    main_window.close()
    main_window.store.close()


def test_entries_with_notes_are_marked_in_the_tree(qtbot, window) -> None:
    window.show_entry("bcma")
    qtbot.keyClicks(editor_of(window), "x")
    assert window.notes_pane.save()
    tree = window.browse_tree
    marked = {
        tree.topLevelItem(g).child(c).data(0, Qt.ItemDataRole.UserRole): tree.topLevelItem(g)
        .child(c)
        .data(0, Qt.ItemDataRole.AccessibleDescriptionRole)
        for g in range(tree.topLevelItemCount())
        for c in range(tree.topLevelItem(g).childCount())
    }
    assert marked == {"bcma": "has your note", "demo-cel": ""}


def test_note_on_an_entry_removed_by_a_content_update_stays_visible(qtbot, window) -> None:
    note = window.store.create_note("about an old entry", entry_id="withdrawn-product")
    window.my_notes.refresh()
    assert window.my_notes.entry_filter.findText("Removed entry 'withdrawn-product'") >= 0
    window.open_note(note.id)
    assert (
        "removed entry" in window.notes_pane.heading.text() and "withdrawn-product" in window.notes_pane.heading.text()
    )
    assert editor_of(window).toPlainText() == "about an old entry"


def test_hostile_markdown_preview_is_inert(qtbot, window) -> None:
    window.show_entry("bcma")
    editor_of(window).setPlainText(
        "<script>alert(1)</script>\n\n![x](https://evil.example/t.png)\n\n[click](javascript:alert(1)) <b onclick=x()>b</b>"
    )
    window.notes_pane.tabs.setCurrentIndex(1)
    html = window.notes_pane.preview.toHtml()
    for forbidden in ("<script", "javascript:", "evil.example", "onclick"):
        assert forbidden not in html


def test_privacy_reminder_is_visible(window) -> None:
    window.show_entry("bcma")
    reminder = window.findChild(QWidget, "privacyReminder")
    assert reminder.isVisible() and "patient" in reminder.text()


def test_failed_save_keeps_the_text_and_retries(qtbot, window, monkeypatch) -> None:
    from carmm_desktop.userdata.store import UserDataError

    window.show_entry("bcma")
    calls = {"n": 0}
    real_create = window.store.create_note

    def failing_create(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise UserDataError("could not save to notes.sqlite: database or disk is full")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(window.store, "create_note", failing_create)
    monkeypatch.setattr("carmm_desktop.ui.notes_pane.RETRY_DELAY_MS", 50)
    qtbot.keyClicks(editor_of(window), "must not be lost")
    assert not window.notes_pane.save()
    assert "Not saved" in window.notes_pane.status.text() and editor_of(window).toPlainText() == "must not be lost"
    window.notes_pane.save_timer.start(50)
    qtbot.waitUntil(lambda: bool(window.store.list_notes(entry_id="bcma")), timeout=2000)


def test_read_only_profile_shows_a_banner(qtbot, tiny_db: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the profile folder should be")
    main_window = create_main_window(blocker / "profile", content_db=tiny_db)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitUntil(lambda: main_window.storage_banner.isVisible())  # reported after the first frame
    banner = main_window.storage_banner
    assert "cannot be written" in banner.label.text()
    # Made only now, it must still look and behave like the disclaimer: under it, iconed, selectable.
    assert banner.y() > main_window.disclaimer_banner.y() and banner.y() < main_window.splitter.y()
    assert not banner.icon_label.pixmap().isNull()
    assert banner.label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    main_window.show_entry("bcma")
    qtbot.keyClicks(editor_of(main_window), "kept in memory")
    assert main_window.notes_pane.save() and "in memory only" in main_window.notes_pane.status.text()
    main_window.close()


def test_corrupt_profile_database_is_reported(qtbot, tiny_db: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "notes.sqlite").write_bytes(b"definitely not sqlite" * 50)
    main_window = create_main_window(profile, content_db=tiny_db)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitUntil(lambda: main_window.storage_banner.isVisible())
    assert "damaged" in main_window.storage_banner.label.text()
    assert list(profile.glob("notes.sqlite.corrupt-*"))
    main_window.close()
    main_window.store.close()


KILL_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtTest import QTest
    from carmm_desktop.ui import create_main_window
    window = create_main_window(sys.argv[1], content_db=sys.argv[2])
    window.show()
    from PySide6.QtWidgets import QApplication
    while not window.store_reported:  # the notes DB opens just after the first frame
        QApplication.processEvents()
        time.sleep(0.01)
    window.show_entry("bcma")
    editor = window.notes_pane.editor
    editor.setFocus()
    QTest.keyClicks(editor, "typed before the crash")
    app = window.window().windowHandle() and None
    from PySide6.QtWidgets import QApplication
    deadline = time.monotonic() + 1.5  # stop typing, let the autosave fire
    while time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    print("TYPED", flush=True)
    while True:
        QApplication.processEvents()
        time.sleep(0.01)
    """
)


def test_note_survives_sigkill(tiny_db: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(profile), str(tiny_db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "TYPED", process.stderr.read()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    store = UserStore.open(profile / "notes.sqlite")
    assert [note.body for note in store.list_notes(entry_id="bcma")] == ["typed before the crash"]
    store.close()


def test_create_main_window_contract_with_environment_profile(
    qtbot, tiny_db: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("CARMM_PROFILE", str(tmp_path / "env-profile"))
    monkeypatch.setenv("CARMM_CONTENT_DB", str(tiny_db))
    main_window = create_main_window()
    qtbot.addWidget(main_window)
    assert main_window.profile.directory == (tmp_path / "env-profile").resolve()
    assert not (tmp_path / "env-profile" / "notes.sqlite").exists()  # opened after the first frame
    main_window.show()
    qtbot.waitUntil(lambda: main_window.icons_ready and main_window.store_reported)
    assert (tmp_path / "env-profile" / "notes.sqlite").is_file()
    main_window.close()
    main_window.store.close()
    assert ContentRepository(tiny_db).has_entry("bcma")


def test_profile_chooser_lists_profiles_and_creates_new_ones(qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    from carmm_desktop.ui.app import choose_profile
    from carmm_desktop.userdata.profile import named_profile

    for name in ("Dr A", "Dr B"):
        named_profile(name).directory.mkdir(parents=True)
    offered: list[list[str]] = []

    def pick(_parent, _title, _label, items, _current, _editable):
        offered.append(list(items))
        return "Dr B", True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
    assert choose_profile() == "Dr B"
    assert offered == [["Dr A", "Dr B", "New profile…"]]
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a: ("New profile…", True)))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a: ("Night registrar", True)))
    assert choose_profile() == "Night registrar"
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a: ("", False)))
    assert choose_profile() is None
