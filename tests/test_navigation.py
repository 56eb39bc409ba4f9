"""Navigation and comfort features of the main window: back/forward, bookmarks, zoom, theme, find, PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QGuiApplication, QMouseEvent
from PySide6.QtWidgets import QWidget

from carmm_desktop.render.entry_html import DARK, LIGHT
from tests.conftest import open_window


@pytest.fixture
def window(tiny_window):
    return tiny_window


def action(window, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def test_contract_actions_exist(window) -> None:
    for name in ("backAction", "forwardAction", "bookmarkAction"):
        action(window, name)


def test_back_and_forward_follow_links(qtbot, window) -> None:
    back, forward = action(window, "backAction"), action(window, "forwardAction")
    assert not back.isEnabled() and not forward.isEnabled()
    window.show_entry("demo-cel")
    window.entry_view.anchorClicked.emit(QUrl("carmm://entry/bcma"))  # a related-entry link
    assert window.current_entry_id == "bcma" and back.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_entry_id == "demo-cel" and forward.isEnabled()
    forward.trigger()
    assert window.current_entry_id == "bcma"
    back.trigger()
    window.show_entry("bcma")  # a new visit drops the forward list
    assert not forward.isEnabled()


def test_mouse_back_button_in_the_entry_view(qtbot, window) -> None:
    window.show_entry("demo-cel")
    window.show_entry("bcma")
    viewport = window.entry_view
    event = QMouseEvent(
        QMouseEvent.Type.MouseButtonPress,
        QPointF(5, 5),
        QPointF(5, 5),
        Qt.MouseButton.BackButton,
        Qt.MouseButton.BackButton,
        Qt.KeyboardModifier.NoModifier,
    )
    viewport.mousePressEvent(event)
    assert window.current_entry_id == "demo-cel"


def test_bookmarks(qtbot, window) -> None:
    bookmark = action(window, "bookmarkAction")
    window.show_entry("bcma")
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert bookmark.isChecked() and window.store.bookmarks() == ["bcma"]
    window._fill_bookmarks_menu()
    titles = [a.text() for a in window.bookmarks_menu.actions()]
    assert titles == ["Title of bcma"]
    window.show_entry("demo-cel")
    assert not bookmark.isChecked()
    window.bookmarks_menu.actions()[0].trigger()
    assert window.current_entry_id == "bcma"
    bookmark.trigger()
    assert window.store.bookmarks() == []


def test_recently_viewed(window) -> None:
    window.show_entry("bcma")
    window.show_entry("demo-cel")
    window._fill_recent_menu()
    assert [a.text() for a in window.recent_menu.actions()] == ["Democabtagene autoleucel", "Title of bcma"]


def test_zoom_is_applied_and_remembered(qtbot, tiny_db: Path, tmp_path: Path) -> None:
    first = open_window(qtbot, tmp_path / "p", db=tiny_db)
    first.show_entry("bcma")
    action(first, "zoomInAction").trigger()
    action(first, "zoomInAction").trigger()
    assert first.zoom == 125
    assert "font-size:13.1pt" in first.entry_view.toHtml().replace(" ", "")  # 10.5 pt x 125%
    first.close()
    first.store.close()
    second = open_window(qtbot, tmp_path / "p", db=tiny_db)
    assert second.zoom == 125
    action(second, "zoomResetAction").trigger()
    assert second.zoom == 100
    second.close()
    second.store.close()


def test_theme_switch_rerenders_the_entry(qtbot, window) -> None:
    window.show_entry("bcma")
    window.set_theme("dark")
    assert window.settings.value("view/theme") == "dark"
    assert window.theme is DARK
    assert DARK.text in window.entry_view.toHtml() or DARK.text.upper() in window.entry_view.toHtml().upper()
    window.set_theme("light")
    assert window.theme is LIGHT
    window.set_theme("system")


def test_a_palette_change_from_outside_rerenders_the_entry(qtbot, window) -> None:
    """With the "system" theme, the system turning dark re-renders the page (the ThemeWatcher)."""
    from PySide6.QtWidgets import QApplication

    from carmm_desktop.ui.main_window import dark_palette

    app = QApplication.instance()
    window.set_theme("system")
    window.show_entry("bcma")
    assert window.theme is LIGHT and DARK.text not in window.entry_view.toHtml().lower()
    before = app.palette()
    app.setPalette(dark_palette())  # as the platform does when the desktop switches
    try:
        qtbot.waitUntil(lambda: DARK.text in window.entry_view.toHtml().lower())
        assert window.theme is DARK
    finally:
        app.setPalette(before)
    qtbot.waitUntil(lambda: DARK.text not in window.entry_view.toHtml().lower())


def test_find_in_page(qtbot, window) -> None:
    window.show_entry("demo-cel")
    assert window.findChild(QWidget, "findBar") is None  # made when first opened
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    qtbot.waitUntil(lambda: window.find_bar.y() > window.entry_view.y())  # under the entry, once laid out
    assert window.find_bar.parentWidget() is window.entry_page
    qtbot.keyClicks(window.find_bar.field, "overall response")
    assert window.entry_view.textCursor().selectedText().lower() == "overall response"
    window.find_bar.field.setText("no such words here")
    assert window.find_bar.status.text() == "Not found"
    qtbot.keyClick(window.find_bar, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()


def test_export_entry_to_pdf(window, tmp_path: Path) -> None:
    window.show_entry("demo-cel")
    written = window.export_entry_pdf(str(tmp_path / "entry.pdf"))
    data = written.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    title = "Democabtagene autoleucel".encode("utf-16-be")
    assert title in data or b"Democabtagene autoleucel" in data


def test_copy_citation(window) -> None:
    window.show_entry("bcma")
    action(window, "copyCitationAction").trigger()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("Title of bcma. In: CARMM Desktop, content version 2026-11-24+")
    assert "last reviewed 2026-11-24" in text


def test_tabs_keep_their_own_history(qtbot, window) -> None:
    tabs = window.tab_bar
    assert not tabs.isVisible()
    window.show_entry("bcma")
    window.entry_view.entryLinkInNewTab.emit("demo-cel")  # what Ctrl+click or middle-click sends
    assert tabs.isVisible() and tabs.count() == 2 and tabs.currentIndex() == 1
    assert window.current_entry_id == "demo-cel" and tabs.tabText(1) == "Democabtagene autoleucel"
    assert not action(window, "backAction").isEnabled()  # a new tab starts its own history
    window.show_entry("bcma")
    assert action(window, "backAction").isEnabled()
    tabs.setCurrentIndex(0)
    assert window.current_entry_id == "bcma" and not action(window, "backAction").isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == 1
    action(window, "backAction").trigger()
    assert window.current_entry_id == "demo-cel"
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert tabs.count() == 1 and not tabs.isVisible() and window.current_entry_id == "bcma"
    action(window, "closeTabAction").trigger()  # the last tab stays
    assert tabs.count() == 1


def test_middle_click_on_an_entry_link_opens_a_tab(window) -> None:
    window.show_entry("demo-cel")
    opened: list[str] = []
    window.entry_view.entryLinkInNewTab.connect(opened.append)
    window.entry_view._entry_id_at = lambda _pos: "bcma"  # the link under the pointer
    event = QMouseEvent(
        QMouseEvent.Type.MouseButtonPress,
        QPointF(5, 5),
        QPointF(5, 5),
        Qt.MouseButton.MiddleButton,
        Qt.MouseButton.MiddleButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.entry_view.mousePressEvent(event)
    assert opened == ["bcma"] and window.tab_bar.count() == 2
