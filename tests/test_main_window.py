"""The main window driven through real widgets: browse, search as you type, keyboard, links, settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QListWidget, QPlainTextEdit, QPushButton, QTextBrowser, QTreeWidget, QWidget

from carmm_desktop.content.compile import build_database
from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.ui import create_main_window as contract_entry_point
from carmm_desktop.ui.app import create_main_window
from carmm_desktop.ui.main_window import MainWindow
from tests.conftest import close_window
from tests.conftest import open_window as shared_open_window


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def tiny_repository(tiny_corpus: Path, tmp_path: Path):
    repository = ContentRepository(build_database(tiny_corpus, tmp_path / "db.sqlite").path)
    yield repository
    repository.close()


def open_window(qtbot, profile_dir: Path, repository):
    return shared_open_window(qtbot, profile_dir, repository=repository)


@pytest.fixture
def window(qtbot, tiny_repository, profile_dir: Path):
    main_window = open_window(qtbot, profile_dir, tiny_repository)
    yield main_window
    close_window(main_window)


def find(window, cls, name: str):
    widget = window.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name}"
    return widget


def test_the_whole_automation_contract(window) -> None:
    from PySide6.QtGui import QAction as Action

    widgets = ("searchBox", "searchResults", "browseTree", "entryView", "notesPane", "noteEditor", "compareView")
    for name in widgets:
        assert window.findChild(QWidget, name) is not None, name
    for name in ("backAction", "forwardAction", "bookmarkAction", "compareAction"):
        assert window.findChild(Action, name) is not None, name


def test_the_apps_own_start_paints_the_first_screen_then_builds_the_rest(
    qtbot, monkeypatch, tiny_repository, profile_dir: Path
) -> None:
    """run_gui starts with first_screen_only: My notes, Compare and Study come after the first frame,
    so by the time anyone can reach them the contract's widgets are all there."""
    monkeypatch.setattr(MainWindow, "FIRST_FRAME_FALLBACK_MS", 600_000)  # only the first paint starts it
    window = create_main_window(profile_dir, repository=tiny_repository, first_screen_only=True)
    qtbot.addWidget(window)
    assert window.findChild(QWidget, "compareView") is None  # not built before the first frame
    assert window.findChild(QWidget, "myNotesView") is None
    with qtbot.waitSignal(window.entry_view.painted):
        window.show()
    qtbot.waitUntil(lambda: window.findChild(QWidget, "compareView") is not None)
    assert window.findChild(QWidget, "myNotesView") is window.my_notes
    qtbot.waitUntil(lambda: window.store_reported and window.icons_ready)
    assert not window.my_notes.new_button.icon().isNull()  # the icons reached the late views
    # What was left until after the first frame because it names the Qt namespace (see test_cli).
    assert window.results_list.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    group = window.browse_tree.topLevelItem(0)
    assert not group.flags() & Qt.ItemFlag.ItemIsSelectable
    assert any(a.shortcut().toString() == "Esc" for a in window.entry_view.actions())
    assert window.search_box.isClearButtonEnabled()
    # The menus' shortcuts are set just after the first frame too.
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    assert "Alt+Left" in [key.toString() for key in window.back_action.shortcuts()]
    assert [key.toString() for key in window.findChild(QAction, "zoomInAction").shortcuts()] == ["Ctrl++", "Ctrl+="]
    close_window(window)


def test_the_panes_do_not_move_when_start_up_finishes_in_a_small_window(
    qtbot, monkeypatch, tiny_repository, profile_dir: Path
) -> None:
    """The views built after the first frame (My notes, Compare) are wider than an empty pane: they
    must not widen the panes of a window already on screen (a visible jump on small ward screens)."""
    monkeypatch.setattr(MainWindow, "FIRST_FRAME_FALLBACK_MS", 600_000)
    window = create_main_window(profile_dir, repository=tiny_repository, first_screen_only=True)
    qtbot.addWidget(window)
    window.resize(800, 700)  # narrower than the panes' default widths (330 + 700 + 300)
    with qtbot.waitSignal(window.entry_view.painted):
        window.show()
    first_frame = window.splitter.sizes()
    qtbot.waitUntil(lambda: window.store_reported and window.findChild(QWidget, "compareView") is not None)
    qtbot.wait(50)  # the layout requests the new views post
    assert window.splitter.sizes() == first_frame
    assert first_frame[1] >= window.compare_view.minimumSizeHint().width()  # the entry pane is readable
    close_window(window)


def test_a_search_typed_during_start_up_gets_its_kind_icons_with_the_rest(
    qtbot, tiny_repository, profile_dir: Path
) -> None:
    """Until start-up has drawn the icons, result rows hold transparent placeholders (the icon font
    is not loaded for a search typed at once); then they get their kind icons, in place."""

    def opaque_pixels(row: int) -> int:
        image = window.results_list.item(row).icon().pixmap(16, 16).toImage()
        return sum(image.pixelColor(x, y).alpha() > 0 for x in range(16) for y in range(16))

    window = create_main_window(profile_dir, repository=tiny_repository, first_screen_only=True)
    qtbot.addWidget(window)
    window.search_box.setText("bcma")
    window.run_search()
    assert not window.icons_ready and window.results_list.count() > 1
    assert opaque_pixels(0) == 0
    window.after_first_frame()
    assert all(opaque_pixels(row) > 0 for row in range(window.results_list.count()))
    close_window(window)


def test_a_view_used_before_the_first_frame_is_built_on_demand(qtbot, tiny_repository, profile_dir: Path) -> None:
    window = create_main_window(profile_dir, repository=tiny_repository, first_screen_only=True)
    qtbot.addWidget(window)
    window.add_to_comparison(["demo-cel", "bcma"])
    assert window.centre_stack.currentWidget() is window.findChild(QWidget, "compareView")
    close_window(window)


def test_the_plain_int_item_roles_are_qts() -> None:
    """ui/results.py spells the roles as ints so that the first frame names nothing in `Qt`."""
    from carmm_desktop.ui import results

    roles = Qt.ItemDataRole
    assert roles.UserRole == results.USER_ROLE
    assert roles.AccessibleTextRole == results.ACCESSIBLE_TEXT_ROLE
    assert roles.AccessibleDescriptionRole == results.ACCESSIBLE_DESCRIPTION_ROLE
    custom = [results.ENTRY_ID_ROLE, results.HTML_ROLE, results.NOTE_ID_ROLE, results.KIND_ROLE]
    assert len(set(custom)) == len(custom) and min(custom) >= roles.UserRole


def test_the_search_boxs_plain_int_keys_are_qts() -> None:
    """The search box compares key codes as ints, so a keypress at start-up names nothing in `Qt`."""
    from carmm_desktop.ui.main_window import SearchBox

    assert (
        Qt.Key.Key_Escape,
        Qt.Key.Key_Return,
        Qt.Key.Key_Enter,
        Qt.Key.Key_Down,
    ) == (SearchBox.KEY_ESCAPE, SearchBox.KEY_RETURN, SearchBox.KEY_ENTER, SearchBox.KEY_DOWN)


def test_escape_returns_to_the_search_box(qtbot, window) -> None:
    window.search_box.setText("bcma")
    window.run_search()
    window.results_list.setFocus()
    qtbot.keyClick(window.results_list, Qt.Key.Key_Escape)
    assert window.search_box.hasFocus()
    window.show_entry("bcma")
    window.entry_view.setFocus()
    qtbot.keyClick(window.entry_view, Qt.Key.Key_Escape)
    assert window.search_box.hasFocus()


def test_automation_contract_object_names(window) -> None:
    find(window, QLineEdit, "searchBox")
    find(window, QTreeWidget, "browseTree")
    find(window, QListWidget, "searchResults")
    find(window, QTextBrowser, "entryView")
    find(window, QWidget, "notesPane")
    find(window, QPlainTextEdit, "noteEditor")
    assert window.objectName() == "mainWindow"
    assert contract_entry_point is create_main_window


def test_browse_tree_lists_kinds_with_counts_and_opens_entries(window) -> None:
    tree = find(window, QTreeWidget, "browseTree")
    groups = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert groups == ["Antigens (1)", "CAR T products (1)"]
    tree.setCurrentItem(tree.topLevelItem(1).child(0))
    view = find(window, QTextBrowser, "entryView")
    assert "Democabtagene autoleucel" in view.toPlainText()
    assert "Key facts" in view.toPlainText() and window.current_entry_id == "demo-cel"
    assert "last reviewed 2026-11-24" in window.reviewed_label.text()
    assert window.version_label.text().startswith("Content 2026-11-24+")


def test_typing_searches_and_enter_opens_top_result(qtbot, window) -> None:
    box = find(window, QLineEdit, "searchBox")
    results = find(window, QListWidget, "searchResults")
    qtbot.keyClicks(box, "CD269")
    qtbot.waitUntil(lambda: window.left_stack.currentWidget() is results and results.count() > 0)
    assert results.item(0).data(Qt.ItemDataRole.UserRole) == "bcma"
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.current_entry_id == "bcma"
    assert "Title of bcma" in window.entry_view.toPlainText()


def test_arrow_keys_move_through_results(qtbot, window) -> None:
    box = find(window, QLineEdit, "searchBox")
    results = find(window, QListWidget, "searchResults")
    box.setText("bcma")
    window.run_search()
    assert results.count() == 2
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert results.hasFocus() or results.isAncestorOf(window.focusWidget())
    qtbot.keyClick(results, Qt.Key.Key_Down)
    # The preview follows on the next turn of the event loop, after the list has repainted.
    qtbot.waitUntil(lambda: window.current_entry_id == results.item(1).data(Qt.ItemDataRole.UserRole))


def test_the_first_paint_of_an_answer_shows_its_rows(qtbot, window, monkeypatch) -> None:
    """A search's results are on screen, text and all, at the first paint after it: not a frame or
    two later (Qt's Batched list layout painted the first frames empty), although the rows below
    the screen get their text only after that paint."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon

    from carmm_desktop.content.search import SearchResult
    from carmm_desktop.ui.results import HTML_ROLE, HtmlDelegate

    painted: list[tuple[int, bool]] = []  # (row, with its text)
    paint_row = HtmlDelegate.paint

    def counting_paint(self, painter, option, index) -> None:
        painted.append((index.row(), bool(index.data(HTML_ROLE))))
        paint_row(self, painter, option, index)

    monkeypatch.setattr(HtmlDelegate, "paint", counting_paint)
    results_list = window.results_list
    window.left_stack.setCurrentWidget(results_list)
    qtbot.waitUntil(lambda: results_list.isVisible())
    results = [SearchResult(f"e{i}", "antigen", f"Entry {i}", "a snippet of one line", 1.0) for i in range(60)]
    answered: list[bool] = []
    first_paint: list[list[tuple[int, bool]]] = []
    results_list.painted.connect(lambda: answered and not first_paint and first_paint.append(sorted(set(painted))))

    def answer() -> None:  # from the event loop, as a search typed in the box is
        painted.clear()
        results_list.show_results(results, lambda kind: QIcon())
        answered.append(not results_list.item(59).data(HTML_ROLE))  # below the screen: text to come

    QTimer.singleShot(0, answer)
    qtbot.waitUntil(lambda: bool(first_paint))
    assert answered == [True]
    viewport = results_list.viewport().rect()
    on_screen = [row for row in range(60) if results_list.visualItemRect(results_list.item(row)).intersects(viewport)]
    assert len(on_screen) > 3
    assert first_paint[0] == [(row, True) for row in on_screen]
    qtbot.waitUntil(lambda: all(results_list.item(row).data(HTML_ROLE) for row in range(60)))
    assert "Entry 59" in results_list.item(59).data(HTML_ROLE)


def test_rows_waiting_for_their_text_are_dropped_with_their_search(qtbot, window) -> None:
    from PySide6.QtGui import QIcon

    from carmm_desktop.content.search import SearchResult
    from carmm_desktop.ui.results import HTML_ROLE

    results_list = window.results_list
    window.left_stack.setCurrentWidget(results_list)  # the rest of the text comes after a paint
    many = [SearchResult(f"old{i}", "antigen", f"Old {i}", "old snippet", 1.0) for i in range(60)]
    results_list.show_results(many, lambda kind: QIcon())
    fresh = [SearchResult(f"new{i}", "trial", f"New {i}", "new snippet", 1.0) for i in range(40)]
    results_list.show_results(fresh, lambda kind: QIcon())  # before the first list got its text
    qtbot.waitUntil(lambda: all(results_list.item(row).data(HTML_ROLE) for row in range(40)))
    qtbot.wait(20)
    assert results_list.count() == 40
    assert all("New" in results_list.item(row).data(HTML_ROLE) for row in range(40))
    results_list.show_results(many, lambda kind: QIcon())
    results_list.show_message("<b>No results</b>")
    qtbot.wait(20)
    assert results_list.count() == 1 and results_list.item(0).data(HTML_ROLE) == "<b>No results</b>"


def test_escape_clears_search_and_returns_to_tree(qtbot, window) -> None:
    box = find(window, QLineEdit, "searchBox")
    box.setText("bcma")
    window.run_search()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == "" and window.left_stack.currentWidget() is window.browse_tree


def test_no_results_shows_message_and_suggestion(window) -> None:
    window.search_box.setText("Democabtagen autoluecel")
    response = window.run_search()
    if not response.results:
        item = window.results_list.item(0)
        assert "No results" in item.data(Qt.ItemDataRole.UserRole + 1)
        assert not item.flags() & Qt.ItemFlag.ItemIsSelectable


def test_hostile_search_text_is_harmless(window) -> None:
    for text in ['"', "NEAR(", "<script>alert(1)</script>", "kind:", "\x00", "x" * 5000]:
        window.search_box.setText(text)
        window.run_search()


def test_in_app_links_navigate_and_web_links_open_only_on_click(window) -> None:
    opened: list[QUrl] = []
    window.entry_view.open_external = opened.append
    window.show_entry("demo-cel")
    window.entry_view.anchorClicked.emit(QUrl("carmm://entry/bcma"))
    assert window.current_entry_id == "bcma"
    assert opened == []
    window.entry_view.anchorClicked.emit(QUrl("https://pubmed.ncbi.nlm.nih.gov/12345678/"))
    window.entry_view.anchorClicked.emit(QUrl("file:///etc/passwd"))
    window.entry_view.anchorClicked.emit(QUrl("javascript:alert(1)"))
    assert [url.toString() for url in opened] == ["https://pubmed.ncbi.nlm.nih.gov/12345678/"]


def test_entry_view_never_loads_resources(window) -> None:
    assert window.entry_view.loadResource(2, QUrl("https://example.com/x.png")) is None
    assert window.entry_view.loadResource(2, QUrl("file:///etc/hosts")) is None


def test_unknown_entry_leaves_view_unchanged(window) -> None:
    window.show_entry("bcma")
    assert window.show_entry("nope") is False
    assert window.current_entry_id == "bcma"


def test_disclaimer_banner_is_shown_once(qtbot, tiny_repository, profile_dir) -> None:
    first = open_window(qtbot, profile_dir, tiny_repository)
    banner = first.findChild(type(first.disclaimer_banner), "disclaimerBanner")
    assert banner.isVisible()
    qtbot.mouseClick(find(first, QPushButton, "disclaimerBannerButton"), Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    first.close()
    first.store.close()
    second = open_window(qtbot, profile_dir, tiny_repository)
    assert not second.disclaimer_banner.isVisible()
    second.close()
    second.store.close()


def test_geometry_and_splitter_are_remembered(qtbot, tiny_repository, profile_dir) -> None:
    first = open_window(qtbot, profile_dir, tiny_repository)
    first.resize(760, 520)
    first.splitter.setSizes([200, 360, 180])
    saved = first.splitter.sizes()
    first.close()
    first.store.close()
    assert (profile_dir / "settings.ini").is_file()
    second = open_window(qtbot, profile_dir, tiny_repository)
    assert (second.size().width(), second.size().height()) == (760, 520)
    assert second.splitter.sizes() == saved
    second.close()
    second.store.close()


def test_shipped_content_every_entry_opens(qtbot, repository, profile_dir) -> None:
    main_window = create_main_window(profile_dir, repository=repository)
    qtbot.addWidget(main_window)
    for entry in repository.list_entries():
        assert main_window.show_entry(entry.id)
        text = main_window.entry_view.toPlainText()
        assert entry.title in text and "References" in text and "Last reviewed" in text
    main_window.close()
    main_window.store.close()


def test_glossary_page_links_to_entries(tiny_corpus, tmp_path, qtbot) -> None:
    (tiny_corpus / "glossary.toml").write_text(
        '[[term]]\nabbr = "TNF"\nexpansion = "tumour necrosis factor"\nentry = "bcma"\n'
    )
    repository = ContentRepository(build_database(tiny_corpus, tmp_path / "g.sqlite").path)
    main_window = open_window(qtbot, tmp_path / "gp", repository)
    main_window.findChild(QAction, "glossaryAction").trigger()
    assert "tumour necrosis factor" in main_window.entry_view.toPlainText()
    assert 'href="carmm://entry/bcma"' in main_window.entry_view.toHtml()
    main_window.close()
    main_window.store.close()


def test_tab_order_reaches_every_main_control(qtbot, window) -> None:
    window.show_entry("bcma")  # the notes pane is enabled once an entry is open
    window.search_box.setFocus()
    seen = []
    for _ in range(8):
        seen.append(window.focusWidget().objectName())
        window.focusNextChild()
    for name in ("searchBox", "browseTree", "entryView", "noteEditor", "noteTags"):
        assert name in seen, seen
