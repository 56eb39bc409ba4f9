"""The main window: search box, browse tree / results / My notes, entry view, notes pane.

Object names used here (`searchBox`, `browseTree`, `searchResults`, `entryView`, `notesPane`,
`noteEditor`, `myNotesView`, `disclaimerBanner`, `mainSplitter`) are the UI automation contract:
tests and scripts find widgets by them.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QByteArray, QSettings, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QGuiApplication,
    QIcon,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from carmm_desktop import APP_NAME, __version__
from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.content.schema import KINDS
from carmm_desktop.content.text import escape_html
from carmm_desktop.errors import CarmmError, EntryNotFoundError, UserDataError
from carmm_desktop.render.entry_html import DARK, DISCLAIMER, LIGHT, render_entry, render_glossary
from carmm_desktop.ui.entry_view import EntryView
from carmm_desktop.ui.notes_pane import NotesPane
from carmm_desktop.ui.results import (
    ACCESSIBLE_DESCRIPTION_ROLE,
    ENTRY_ID_ROLE,
    HTML_ROLE,
    KIND_ROLE,
    NOTE_ID_ROLE,
    ResultsList,
    row_html,
)
from carmm_desktop.userdata.profile import Profile

if TYPE_CHECKING:  # built after the first frame (see complete_construction)
    from PySide6.QtGui import QCloseEvent, QKeySequence

    from carmm_desktop.content.search import SearchEngine, SearchResponse
    from carmm_desktop.ui.compare_view import CompareView
    from carmm_desktop.ui.find_bar import FindBar
    from carmm_desktop.ui.my_notes import MyNotesView
    from carmm_desktop.ui.study_view import StudyView

SEARCH_DELAY_MS = 80
# Pane minimums (px): an entry stays readable and the Compare and Study views fit; lists show titles.
ENTRY_PANE_MIN_WIDTH = 380
LIST_PANE_MIN_WIDTH = 180
PERSIST_RETRY_MS = 30_000
SETTINGS_GEOMETRY = "mainWindow/geometry"
SETTINGS_SPLITTER = "mainWindow/splitter"
SETTINGS_DISCLAIMER = "disclaimer/acknowledged"
SETTINGS_ZOOM = "view/zoom"
SETTINGS_THEME = "view/theme"
ZOOM_STEPS = (70, 80, 90, 100, 110, 125, 140, 160, 180, 200)
THEMES = ("system", "light", "dark")
NOTE_ICON = "mdi6.note-text-outline"


class TabState:
    """One tab's back/forward list of entry ids (a plain class: a dataclass costs ~0.5 ms to define,
    before the first frame)."""

    __slots__ = ("history", "index")

    def __init__(self, history: list[str] | None = None, index: int = -1) -> None:
        self.history: list[str] = history if history is not None else []
        self.index = index


def _tab_title(title: str) -> str:
    short = re.sub(r"\s*\(.*\)\s*$", "", title)
    return short if len(short) <= 28 else short[:27] + "…"


class SearchBox(QLineEdit):
    """The query field: Down moves into the results, Enter opens the top one, Esc clears."""

    moveDown = Signal()
    accepted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.setPlaceholderText("Search antigens, products, trials, toxicities, your notes…   (Ctrl+K)")
        self.setAccessibleName("Search the reference")

    # Qt.Key values as plain ints (QKeyEvent.key() is an int): the first name taken from `Qt` builds
    # all of its Python enums (~25 ms), which a search typed during start-up would otherwise wait for.
    KEY_ESCAPE, KEY_RETURN, KEY_ENTER, KEY_DOWN = 0x01000000, 0x01000004, 0x01000005, 0x01000015

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key == self.KEY_DOWN:
            self.moveDown.emit()
        elif key in (self.KEY_RETURN, self.KEY_ENTER):
            self.accepted.emit()
        elif key == self.KEY_ESCAPE:
            self.clear()
        else:
            super().keyPressEvent(event)


class ThemeWatcher(QWidget):
    """A hidden child of the window that calls back when the palette or theme changes (the system
    turning dark, say), so that the entry page is re-rendered in matching colours.

    Not a changeEvent override on the window itself: that is first called while the window is
    built, and handing Python its first bare QEvent makes PySide6 load ~50 QEvent subclasses to
    find its type (~5 ms of the first frame). The window makes this one just after the frame.
    """

    def __init__(self, parent: QWidget, on_change: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setObjectName("themeWatcher")
        self.hide()
        self._on_change = on_change

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        from PySide6.QtCore import QEvent

        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ThemeChange, QEvent.Type.ApplicationPaletteChange):
            self._on_change()


class MainWindow(QMainWindow):
    """Browse by kind, search as you type, read an entry, keep notes."""

    entryShown = Signal(str)

    def __init__(
        self,
        repository: ContentRepository,
        store,  # a UserStore, or a LazyUserStore that opens it after the first frame
        settings: QSettings,
        profile: Profile | None = None,
        parent: QWidget | None = None,
        *,
        first_screen_only: bool = False,
    ) -> None:
        """`first_screen_only` leaves My notes, Compare and Study to `complete_construction()`,
        which the window runs itself once its first frame is painted (or on first use)."""
        super().__init__(parent)
        self._my_notes: MyNotesView | None = None
        self._compare_view: CompareView | None = None
        self._study_view: StudyView | None = None
        self.setObjectName("mainWindow")
        self.repository = repository
        self.store = store
        self.settings = settings
        self.profile = profile
        self._search_engine: SearchEngine | None = None
        self.current_entry_id: str | None = None
        self.last_response: SearchResponse | None = None
        # Tabs share one entry view; each keeps its own back/forward list of entry ids.
        self.tab_states: list[TabState] = [TabState()]
        self.zoom = int(self.settings.value(SETTINGS_ZOOM, 100))
        if self.zoom not in ZOOM_STEPS:
            self.zoom = 100
        self.switch_profile_handler: Callable[[], None] | None = None
        self.icons_ready = False
        self._interaction_configured = False
        self.store_reported = False
        self._visits_waiting: list[str] = []
        self._blank_icon = _blank_icon()
        self.setWindowTitle(APP_NAME)

        self.search_box = SearchBox(self)
        self.search_icon_action = self.search_box.addAction(self._blank_icon, QLineEdit.ActionPosition.LeadingPosition)
        self.browse_tree = self._build_tree()
        self.results_list = ResultsList(self)
        self.entry_view = EntryView(self)
        self.notes_pane = NotesPane(store, self)
        self.left_stack = QStackedWidget(self)
        self.left_stack.setObjectName("leftStack")
        # Fixed minimum widths, not the stacks' own (the widest page's): the pages built after the
        # first frame (My notes, Compare) would raise those, and the panes would jump just after it.
        self.left_stack.setMinimumWidth(LIST_PANE_MIN_WIDTH)
        for widget in (self.browse_tree, self.results_list):
            self.left_stack.addWidget(widget)

        self._find_bar: FindBar | None = None  # made when first opened (Ctrl+F)
        entry_page = QWidget(self)
        entry_layout = QVBoxLayout(entry_page)
        entry_layout.setContentsMargins(0, 0, 0, 0)
        entry_layout.setSpacing(0)
        self.tab_bar = QTabBar(self)
        self.tab_bar.setObjectName("entryTabs")
        self.tab_bar.setTabsClosable(True)
        self.tab_bar.setMovable(False)
        self.tab_bar.setExpanding(False)
        self.tab_bar.setDocumentMode(True)
        self.tab_bar.addTab("Start")
        self.tab_bar.hide()  # shown once there is more than one tab
        entry_layout.addWidget(self.tab_bar)
        entry_layout.addWidget(self.entry_view, 1)
        self.entry_page = entry_page
        centre = QStackedWidget(self)
        centre.setObjectName("centreStack")
        centre.setMinimumWidth(ENTRY_PANE_MIN_WIDTH)
        centre.addWidget(entry_page)
        self.centre_stack = centre
        self.splitter = QSplitter(parent=self)  # horizontal; QSplitter(self) would build the Qt enums
        self.splitter.setObjectName("mainSplitter")
        for widget in (self.left_stack, centre, self.notes_pane):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([330, 700, 300])
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)

        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        self.my_notes_button = QPushButton("My notes", self)
        self.my_notes_button.setIcon(self._blank_icon)
        self.my_notes_button.setObjectName("myNotesButton")
        self.my_notes_button.setCheckable(True)
        self.my_notes_button.toggled.connect(self.show_my_notes)
        top.addWidget(self.my_notes_button)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        self.disclaimer_banner = self._banner("disclaimerBanner", DISCLAIMER, "Got it", self.dismiss_disclaimer)
        self.disclaimer_banner.setVisible(not self.settings.value(SETTINGS_DISCLAIMER, False, type=bool))
        layout.addWidget(self.disclaimer_banner)
        self._central_layout = layout
        self._storage_banner: QFrame | None = None  # made when there is something to say (rarely)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.version_label = QLabel(f"Content {repository.content_version}", self)
        self.version_label.setObjectName("contentVersionLabel")
        self.reviewed_label = QLabel("", self)
        self.reviewed_label.setObjectName("lastReviewedLabel")
        self.statusBar().addWidget(self.reviewed_label, 1)
        if profile is not None:
            profile_label = QLabel(f"Profile: {profile.name}", self)
            profile_label.setObjectName("profileLabel")
            self.statusBar().addPermanentWidget(profile_label)
        self.statusBar().addPermanentWidget(self.version_label)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(0)
        self._preview_timer.timeout.connect(self._preview_current_result)
        self._preview_after_paint = False
        # What start-up leaves until the first frame is painted, one step per turn of the event
        # loop so that a search typed at once is answered in between (see _next_startup_step).
        self._startup_steps: list[Callable[[], None]] = [
            self.apply_icons,  # first: a search typed at once shows placeholder icons until then
            self._configure_interaction,
            self.complete_construction,
            self._open_notes,
        ]
        self._startup_waits_for_results = False
        self._persist_timer = QTimer(self)
        self._persist_timer.setInterval(PERSIST_RETRY_MS)
        self._persist_timer.timeout.connect(self._retry_persist)
        self._shortcut_keys: list[tuple[QAction, tuple[str, ...]]] = []
        self._build_menus()
        self._connect()
        self._restore_state()
        self._show_welcome()
        if not first_screen_only:
            self._configure_interaction()
            self.complete_construction()

    def complete_construction(self) -> None:
        """Build the views the first screen does not show: the My notes list, Compare and Study.

        Idempotent; their modules are imported here, so a cold start paints without them.
        """
        if self._study_view is not None:
            return
        from carmm_desktop.ui.compare_view import CompareView
        from carmm_desktop.ui.my_notes import MyNotesView
        from carmm_desktop.ui.study_view import StudyView

        self._my_notes = MyNotesView(self.store, self.repository, self)
        self.left_stack.addWidget(self._my_notes)
        self._my_notes.noteActivated.connect(self.open_note)
        self._my_notes.newNoteRequested.connect(self.new_note)
        self._compare_view = CompareView(self.repository, self.store, self)
        self.centre_stack.addWidget(self._compare_view)
        self._compare_view.entryRequested.connect(self.show_entry)
        self._study_view = StudyView(self.repository, self.store, self)
        self.centre_stack.addWidget(self._study_view)
        self._study_view.entryRequested.connect(self.show_entry)
        if self.icons_ready:
            self._my_notes.apply_icons()

    @property
    def search_engine(self) -> SearchEngine:
        """Made at the first search: the first frame does without the engine's module and indexes."""
        if self._search_engine is None:
            from carmm_desktop.content.search import SearchEngine

            self._search_engine = SearchEngine(self.repository)
        return self._search_engine

    @property
    def my_notes(self) -> MyNotesView:
        self.complete_construction()
        assert self._my_notes is not None
        return self._my_notes

    @property
    def compare_view(self) -> CompareView:
        self.complete_construction()
        assert self._compare_view is not None
        return self._compare_view

    @property
    def study_view(self) -> StudyView:
        self.complete_construction()
        assert self._study_view is not None
        return self._study_view

    FIRST_FRAME_FALLBACK_MS = 500  # deferred start-up runs by then even if no paint was seen

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._startup_steps:
            # The deferred steps start once the first frame is painted (a zero timer alone could
            # fire before it), or after the fallback at the latest. The view's own `painted`
            # signal, not an event filter: a Python event filter on the viewport makes PySide6
            # probe its type against dozens of widget classes (~15 ms of their enums).
            self.entry_view.painted.connect(self._entry_first_painted)
            QTimer.singleShot(self.FIRST_FRAME_FALLBACK_MS, self.after_first_frame)

    def _entry_first_painted(self) -> None:
        self.entry_view.painted.disconnect(self._entry_first_painted)
        QTimer.singleShot(0, self._next_startup_step)

    def _next_startup_step(self) -> None:
        """Run one deferred start-up step (icons, the views off the first screen, the notes DB) and
        queue the next behind whatever is waiting. A search typed meanwhile is answered from the
        reference first; the steps resume once its results are painted, and its note hits join
        the results when the notes DB (SQLAlchemy and Alembic, ~0.25 s) has opened."""
        if self._startup_waits_for_results or not self._startup_steps:
            return
        self._startup_steps.pop(0)()
        if self._startup_steps:
            QTimer.singleShot(0, self._next_startup_step)

    def _open_notes(self) -> None:
        """Open the notes DB and bring in what waited for it: the note of the entry on screen, its
        bookmark state, visits, the tree's note marks and note hits for a search already shown."""
        if self.store_reported:
            return
        self._report_storage_state()
        self.notes_pane.store_opened()
        for entry_id in self._visits_waiting:
            with contextlib.suppress(UserDataError):
                self.store.record_visit(entry_id)
        self._visits_waiting.clear()
        self._update_navigation_actions()
        self._mark_entries_with_notes()
        text = self.search_box.text()
        if text.strip() and self.left_stack.currentWidget() is self.results_list and self.store.search_notes(text):
            self.run_search()

    def after_first_frame(self) -> None:
        """Run what start-up deferred (icons, the views off the first screen, the notes DB) now;
        idempotent. Also the fallback half a second after showing, and what tests and --smoke call."""
        self._startup_waits_for_results = False
        while self._startup_steps:
            self._startup_steps.pop(0)()

    def apply_icons(self) -> None:
        """Set every icon of the window (deferred from start-up, see showEvent)."""
        if self.icons_ready:
            return
        from carmm_desktop.ui.icons import icon, kind_icon  # QIcon, QPainter & co.: not for the first frame

        self.icons_ready = True
        self.setWindowIcon(icon("app"))
        self.search_icon_action.setIcon(icon("search"))
        self.my_notes_button.setIcon(icon(NOTE_ICON))
        for banner in self._banners():
            self._dress_banner(banner)
        for index in range(self.browse_tree.topLevelItemCount()):
            group = self.browse_tree.topLevelItem(index)
            group.setIcon(0, kind_icon(group.data(0, KIND_ROLE)))
        self.results_list.set_kind_icons(kind_icon)  # a search typed at start-up showed placeholders
        if self._my_notes is not None:  # else as it is built
            self._my_notes.apply_icons()
        for action, name in (
            (self.back_action, "mdi6.arrow-left"),
            (self.forward_action, "mdi6.arrow-right"),
            (self.bookmark_action, "mdi6.bookmark-outline"),
            (self.compare_action, "mdi6.table-column-plus-after"),
            (self.print_action, "mdi6.printer-outline"),
        ):
            action.setIcon(icon(name))
        if self.store.loaded:  # else when the notes DB opens (_open_notes)
            self._mark_entries_with_notes()

    # --- construction ---------------------------------------------------------------------------

    def _build_tree(self) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setObjectName("browseTree")
        tree.setHeaderHidden(True)
        tree.setAccessibleName("Browse entries by kind")
        tree.setUniformRowHeights(True)
        entries = self.repository.list_entries()
        groups = []
        for kind in KINDS.values():
            members = [e for e in entries if e.kind == kind.name]
            if not members:
                continue
            group = QTreeWidgetItem([f"{kind.plural} ({len(members)})"])
            group.setIcon(0, self._blank_icon)
            group.setData(0, KIND_ROLE, kind.name)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            children = []
            for entry in members:
                child = QTreeWidgetItem([entry.title])
                child.setIcon(0, self._blank_icon)
                child.setData(0, ENTRY_ID_ROLE, entry.id)
                child.setToolTip(0, f"{entry.title}\n\n{entry.summary}")
                children.append(child)
            group.addChildren(children)
            groups.append(group)
        tree.addTopLevelItems(groups)  # in one insertion each, not one per item (~1 ms less)
        tree.expandAll()
        return tree

    def _banner(self, name: str, text: str, button_text: str, on_click: Callable[[], None]) -> QFrame:
        banner = QFrame(self)
        banner.setObjectName(name)
        banner.setFrameShape(QFrame.Shape.StyledPanel)
        self._style_banner(banner)
        row = QHBoxLayout(banner)
        row.setContentsMargins(10, 6, 6, 6)
        info = QLabel(banner)
        info.setFixedSize(18, 18)
        label = QLabel(text, banner)
        label.setObjectName(f"{name}Text")
        label.setWordWrap(True)
        button = QPushButton(button_text, banner)
        button.setObjectName(f"{name}Button")
        button.clicked.connect(on_click)
        row.addWidget(info)
        row.addWidget(label, 1)
        row.addWidget(button)
        banner.label = label  # type: ignore[attr-defined]
        banner.icon_label = info  # type: ignore[attr-defined]
        return banner

    @property
    def find_bar(self) -> FindBar:
        """Find in this entry, under the entry view: made the first time it is opened (hidden until
        then, it and its module are ~1.5 ms the first frame does without)."""
        if self._find_bar is None:
            from carmm_desktop.ui.find_bar import FindBar

            self._find_bar = FindBar(self.entry_view, self)
            self.entry_page.layout().addWidget(self._find_bar)
        return self._find_bar

    @property
    def storage_banner(self) -> QFrame:
        """The notes-storage warning under the disclaimer, made the first time it is needed: the
        first frame does without it (~1 ms), and most starts never need it."""
        if self._storage_banner is None:
            banner = self._banner("storageBanner", "", "Dismiss", lambda: banner.hide())
            banner.hide()
            self._central_layout.insertWidget(self._central_layout.indexOf(self.disclaimer_banner) + 1, banner)
            self._storage_banner = banner
            self._dress_banner(banner)
        return self._storage_banner

    def _dress_banner(self, banner: QFrame) -> None:
        """What a banner gets once start-up has made it ready: its icon (apply_icons) and selectable
        text (_configure_interaction); for the banners of the first frame, and for one made later."""
        if self.icons_ready:
            from carmm_desktop.ui.icons import icon

            banner.icon_label.setPixmap(icon("info").pixmap(18, 18))  # type: ignore[attr-defined]
        if self._interaction_configured:
            banner.label.setTextInteractionFlags(  # type: ignore[attr-defined]
                QtCore.Qt.TextInteractionFlag.TextSelectableByMouse
            )

    def _banners(self) -> list[QFrame]:
        """The banners made so far."""
        return [banner for banner in (self.disclaimer_banner, self._storage_banner) if banner is not None]

    def _style_banner(self, banner: QFrame) -> None:
        """Border in the highlight colour, text in the window text colour of the current theme."""
        palette = QApplication.palette()
        banner.setStyleSheet(
            f"#{banner.objectName()} {{ border: 1px solid {palette.color(QPalette.ColorRole.Highlight).name()};"
            f" border-radius: 4px; }} #{banner.objectName()} QLabel {{"
            f" color: {palette.color(QPalette.ColorRole.WindowText).name()}; }}"
        )

    def _action(
        self, text: str, slot: Callable[[], object], shortcut: str | tuple[str, ...] | None = None, name: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if shortcut:  # set just after the first frame (_apply_shortcuts)
            self._shortcut_keys.append((action, (shortcut,) if isinstance(shortcut, str) else shortcut))
        if name:
            action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _apply_shortcuts(self) -> None:
        """The menus' keyboard shortcuts. Not in the first frame: QKeySequence builds its enums (~1 ms)
        and nobody can press a key before the frame after it. setShortcuts, not setShortcut: resolving
        the latter's overloads builds the `Qt` enums."""
        from PySide6.QtGui import QKeySequence

        for action, keys in self._shortcut_keys:
            action.setShortcuts([QKeySequence(key) for key in keys])
        self._shortcut_keys.clear()
        self.back_action.setShortcuts(_unique_keys("Alt+Left", QKeySequence.StandardKey.Back))
        self.forward_action.setShortcuts(_unique_keys("Alt+Right", QKeySequence.StandardKey.Forward))

    def _build_menus(self) -> None:
        self.back_action = self._action("Back", self.go_back, None, "backAction")
        self.forward_action = self._action("Forward", self.go_forward, None, "forwardAction")
        self.bookmark_action = self._action("Bookmark this entry", self.toggle_bookmark, "Ctrl+D", "bookmarkAction")
        self.bookmark_action.setCheckable(True)
        self.print_action = self._action("Print…", self.print_entry, "Ctrl+P", "printAction")
        self.pdf_action = self._action("Export entry as PDF…", self.export_entry_pdf, "Ctrl+Shift+E", "exportPdfAction")
        self.copy_citation_action = self._action(
            "Copy citation", self.copy_citation, "Ctrl+Shift+C", "copyCitationAction"
        )
        self.find_action = self._action("Find in entry", lambda: self.find_bar.open_bar(), "Ctrl+F", "findAction")
        self.new_tab_action = self._action("Open in a new tab", self.duplicate_tab, "Ctrl+T", "newTabAction")
        self.close_tab_action = self._action(
            "Close tab", lambda: self.close_tab(self.tab_bar.currentIndex()), "Ctrl+W", "closeTabAction"
        )
        self._action("Next tab", lambda: self._cycle_tab(+1), "Ctrl+Tab")
        self._action("Previous tab", lambda: self._cycle_tab(-1), "Ctrl+Shift+Tab")
        self.compare_action = self._action(
            "Add to comparison", self.add_current_to_comparison, "Ctrl+Shift+A", "compareAction"
        )
        self.show_compare_action = self._action("Comparison", self.show_comparison, "Ctrl+Shift+K", "showCompareAction")
        self.study_action = self._action("Study", self.show_study, "F6", "studyAction")

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self._action("New free-standing note", self.new_note, "Ctrl+Shift+N", "newNoteAction"))
        file_menu.addSeparator()
        file_menu.addAction(self.print_action)
        file_menu.addAction(self.pdf_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("Export notes as Markdown folder…", self.export_notes_markdown))
        file_menu.addAction(self._action("Export notes as JSON…", self.export_notes_json))
        file_menu.addAction(self._action("Import notes…", self.import_notes))
        file_menu.addAction(self._action("Back up notes now", self.backup_notes))
        file_menu.addSeparator()
        file_menu.addAction(self._action("Switch profile…", self.request_profile_switch, None, "switchProfileAction"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("Quit", self.close, "Ctrl+Q"))

        edit_menu = menu.addMenu("&Edit")
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.copy_citation_action)

        view_menu = menu.addMenu("&View")
        view_menu.addAction(self._action("Search", self.focus_search, "Ctrl+K", "focusSearchAction"))
        self._action("Search (alternative)", self.focus_search, "Ctrl+L")
        view_menu.addAction(self._action("My notes", self.my_notes_button.toggle, "Ctrl+Shift+M", "myNotesAction"))
        self.toggle_notes_action = self._action("Notes pane", self.toggle_notes_pane, "F4", "toggleNotesAction")
        self.toggle_notes_action.setCheckable(True)
        self.toggle_notes_action.setChecked(True)
        view_menu.addAction(self.toggle_notes_action)
        view_menu.addAction(self.show_compare_action)
        view_menu.addAction(self.study_action)
        view_menu.addSeparator()
        zoom_in = self._action(
            "Zoom in", lambda: self.set_zoom(self._zoom_step(+1)), ("Ctrl++", "Ctrl+="), "zoomInAction"
        )
        view_menu.addAction(zoom_in)
        view_menu.addAction(
            self._action("Zoom out", lambda: self.set_zoom(self._zoom_step(-1)), "Ctrl+-", "zoomOutAction")
        )
        view_menu.addAction(self._action("Actual size", lambda: self.set_zoom(100), "Ctrl+0", "zoomResetAction"))
        theme_menu = view_menu.addMenu("Theme")
        self.theme_group = QActionGroup(self)
        current_theme = str(self.settings.value(SETTINGS_THEME, "system"))
        for name in THEMES:
            action = QAction(name.capitalize() if name != "system" else "Follow the system", self)
            action.setObjectName(f"theme{name.capitalize()}Action")
            action.setCheckable(True)
            action.setChecked(name == current_theme)
            action.triggered.connect(lambda _checked=False, n=name: self.set_theme(n))
            self.theme_group.addAction(action)
            theme_menu.addAction(action)

        go_menu = menu.addMenu("&Go")
        go_menu.addAction(self.back_action)
        go_menu.addAction(self.new_tab_action)
        go_menu.addAction(self.close_tab_action)
        go_menu.addAction(self.forward_action)
        go_menu.addSeparator()
        go_menu.addAction(self.bookmark_action)
        go_menu.addAction(self.compare_action)
        self.bookmarks_menu = go_menu.addMenu("Bookmarks")
        self.bookmarks_menu.setObjectName("bookmarksMenu")
        self.bookmarks_menu.aboutToShow.connect(self._fill_bookmarks_menu)
        self.recent_menu = go_menu.addMenu("Recently viewed")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)

        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self._action("Glossary of abbreviations", self.show_glossary, "F1", "glossaryAction"))
        help_menu.addAction(self._action("Keyboard shortcuts", self.show_shortcuts, None, "shortcutsAction"))
        help_menu.addAction(self._action(f"About {APP_NAME}", self.show_about, None, "aboutAction"))

        toolbar = QToolBar("Main toolbar", self)
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        for action in (
            self.back_action,
            self.forward_action,
            self.bookmark_action,
            self.compare_action,
            self.print_action,
        ):
            action.setIcon(self._blank_icon)
            toolbar.addAction(action)
        self.addToolBar(toolbar)
        self.toolbar = toolbar
        self._update_navigation_actions()

    def _connect(self) -> None:
        self.search_box.textChanged.connect(self._schedule_search)
        self.search_box.moveDown.connect(self._focus_results)
        self.search_box.accepted.connect(self._open_top_result)
        self.browse_tree.currentItemChanged.connect(self._tree_selection_changed)
        self.results_list.currentItemChanged.connect(self._result_selection_changed)
        self.results_list.painted.connect(self._results_painted)
        self.results_list.itemActivated.connect(self._result_activated)
        self.entry_view.entryLinkActivated.connect(self.show_entry)
        self.entry_view.backRequested.connect(self.go_back)
        self.entry_view.entryLinkInNewTab.connect(self.open_in_new_tab)
        self.tab_bar.currentChanged.connect(self._tab_changed)
        # Keyboard order a screen-reader user expects: search, list, entry, note, tags.
        self.entry_view.setAccessibleName("Entry")
        self.results_list.setAccessibleName("Search results")
        order = [
            self.search_box,
            self.browse_tree,
            self.results_list,
            self.entry_view,
            self.notes_pane.editor,
            self.notes_pane.tags,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self.tab_bar.tabCloseRequested.connect(self.close_tab)
        self.results_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.results_list.customContextMenuRequested.connect(self._results_menu)
        self.browse_tree.customContextMenuRequested.connect(self._tree_menu)
        self.entry_view.forwardRequested.connect(self.go_forward)
        self.notes_pane.noteSaved.connect(self._note_saved)

    def _configure_interaction(self) -> None:
        """What the first frame does not show but input needs: group rows that cannot be selected,
        selectable banner text, Esc back to the search box, context menus, the search box's clear
        button, the menus' shortcuts and the ThemeWatcher.

        Most name the `Qt` namespace (the first name from it makes PySide6 build all of its ~90
        Python enums, ~25 ms) or build other classes' enums; start-up runs this just after the first
        frame, a full build at once. Idempotent.
        """
        if self._interaction_configured:
            return
        self._interaction_configured = True
        from PySide6.QtGui import QKeySequence

        self._theme_watcher = ThemeWatcher(self, self._rerender)

        self._apply_shortcuts()
        # The clear button shows only once there is text (~1 ms of the first frame otherwise).
        self.search_box.setClearButtonEnabled(True)
        qt = QtCore.Qt
        for index in range(self.browse_tree.topLevelItemCount()):
            self.browse_tree.topLevelItem(index).setFlags(qt.ItemFlag.ItemIsEnabled)
        for banner in self._banners():
            self._dress_banner(banner)
        # Esc in the results, the tree or the entry goes back to the search box (in the box it clears).
        back_to_search = QAction("Back to the search box", self)
        back_to_search.setShortcuts([QKeySequence(qt.Key.Key_Escape)])
        back_to_search.setShortcutContext(qt.ShortcutContext.WidgetWithChildrenShortcut)
        back_to_search.triggered.connect(self.focus_search)
        for widget in (self.results_list, self.browse_tree, self.entry_view):
            widget.addAction(back_to_search)
        self.results_list.setContextMenuPolicy(qt.ContextMenuPolicy.CustomContextMenu)
        self.browse_tree.setContextMenuPolicy(qt.ContextMenuPolicy.CustomContextMenu)

    def _restore_state(self) -> None:
        geometry = self.settings.value(SETTINGS_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 800)
        splitter = self.settings.value(SETTINGS_SPLITTER)
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        from PySide6.QtWidgets import QMessageBox  # dialogs: not needed to start

        if not self.notes_pane.save():
            answer = QMessageBox.warning(
                self,
                APP_NAME,
                "Your note could not be saved:\n" + self.notes_pane.status.text() + "\n\nClose anyway and lose it?",
                QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
            )
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        if self.store.loaded:
            self.store.try_persist()
        self.settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        self.settings.setValue(SETTINGS_SPLITTER, self.splitter.saveState())
        self.settings.sync()
        super().closeEvent(event)

    # --- storage state ----------------------------------------------------------------------------

    def _report_storage_state(self) -> None:
        self.store_reported = True
        messages = []
        if self.store.recovered_from is not None:
            messages.append(
                f"Your notes database was damaged and has been moved to {self.store.recovered_from}. "
                "A fresh one was started; use File › Import notes… on the old file to salvage notes."
            )
        if self.store.migration_backup is not None:
            self.statusBar().showMessage(
                f"Notes upgraded; a backup was written to {self.store.migration_backup}", 10000
            )
        if self.store.degraded_reason is not None:
            messages.append(
                f"Your notes cannot be written to disk ({self.store.degraded_reason}). They are kept in memory "
                "and saved as soon as the folder can be written; export them if you need them now."
            )
            self._persist_timer.start()
        if messages:
            self.storage_banner.label.setText("\n".join(messages))  # type: ignore[attr-defined]
            self.storage_banner.show()

    def _retry_persist(self) -> None:
        if self.store.try_persist():
            self._persist_timer.stop()
            self.storage_banner.hide()
            self.statusBar().showMessage("Your notes are now saved to disk.", 8000)

    # --- behaviour ------------------------------------------------------------------------------

    @property
    def theme(self):
        chosen = str(self.settings.value(SETTINGS_THEME, "system"))
        if chosen in ("light", "dark"):
            return DARK if chosen == "dark" else LIGHT
        window = self.palette().color(QPalette.ColorRole.Window)
        return DARK if window.lightness() < 128 else LIGHT

    def focus_search(self) -> None:
        self.search_box.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def dismiss_disclaimer(self) -> None:
        self.disclaimer_banner.hide()
        self.settings.setValue(SETTINGS_DISCLAIMER, True)

    def toggle_notes_pane(self) -> None:
        self.notes_pane.setVisible(not self.notes_pane.isVisible())
        self.toggle_notes_action.setChecked(self.notes_pane.isVisible())

    def show_my_notes(self, on: bool) -> None:
        if on:
            self.my_notes.refresh()
            self.left_stack.setCurrentWidget(self.my_notes)
        else:
            self.left_stack.setCurrentWidget(self.results_list if self.search_box.text().strip() else self.browse_tree)
        self.my_notes_button.setChecked(on)

    def _schedule_search(self, text: str) -> None:
        self.my_notes_button.setChecked(False)
        if text.strip():
            self._search_timer.start()
        else:
            self._search_timer.stop()
            self.left_stack.setCurrentWidget(self.browse_tree)

    def run_search(self) -> SearchResponse:
        """Search the reference and the notes for the box's text now (public for tests and scripts)."""
        self._search_timer.stop()
        text = self.search_box.text()
        response = self.search_engine.search(text, limit=50)
        if self._startup_steps:
            self._startup_waits_for_results = True  # resumed by _results_painted
        # Until the notes DB has opened (just after the first frame), the reference answers alone.
        note_hits = self.store.search_notes(text, limit=10) if self.store.loaded else []
        self.last_response = response
        if response.corrected:
            self.statusBar().showMessage(f"No exact match: showing results for “{response.corrected}”", 8000)
        self.left_stack.setCurrentWidget(self.results_list)
        self._preview_after_paint = True
        if response.results or note_hits:
            self.results_list.show_results(response.results, self._result_icon)
            if note_hits:  # above the reference's rows; the top one becomes current
                from carmm_desktop.ui.icons import icon  # note hits come after start-up, with the icons

                for position, hit in enumerate(note_hits):
                    where = (
                        self.repository.get_entry(hit.note.entry_id).title
                        if (hit.note.entry_id and self.repository.has_entry(hit.note.entry_id))
                        else "free-standing"
                    )
                    item = QListWidgetItem(icon(NOTE_ICON), "")
                    item.setData(NOTE_ID_ROLE, hit.note.id)
                    item.setData(ENTRY_ID_ROLE, None)
                    item.setData(HTML_ROLE, row_html(hit.note.title, f"Your note · {where}", hit.snippet))
                    self.results_list.insertItem(position, item)
                self.results_list.setCurrentRow(0)
        else:
            message = f"<b>No results for “{escape_html(text.strip())}”.</b>"
            if response.suggestions:
                message += "<br>Did you mean: " + ", ".join(escape_html(s) for s in response.suggestions) + "?"
            for problem in response.query.problems:
                message += f"<br><small>Note: {escape_html(problem)}</small>"
            self.results_list.show_message(message)
        return response

    def _result_icon(self, kind: str) -> QIcon:
        """A result row's kind icon; until start-up has drawn the icons (a search typed at once), a
        placeholder of the same size: the icon module and font are not loaded for it."""
        if not self.icons_ready:
            return self._blank_icon
        from carmm_desktop.ui.icons import kind_icon

        return kind_icon(kind)

    def _focus_results(self) -> None:
        if self.left_stack.currentWidget() is self.results_list and self.results_list.count():
            self.results_list.setFocus()
        else:
            self.browse_tree.setFocus()

    def _open_top_result(self) -> None:
        if self._search_timer.isActive() or self.last_response is None:
            self.run_search()
        item = self.results_list.currentItem()
        if item is not None:
            self._result_activated(item)

    def _result_activated(self, item: QListWidgetItem) -> None:
        note_id = item.data(NOTE_ID_ROLE)
        if note_id is not None:
            self.open_note(int(note_id))
        elif item.data(ENTRY_ID_ROLE):
            self.show_entry(item.data(ENTRY_ID_ROLE))
            self.entry_view.setFocus()

    def _tree_selection_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        entry_id = current.data(0, ENTRY_ID_ROLE) if current is not None else None
        if entry_id:
            self.show_entry(entry_id)

    def _result_selection_changed(self, _current: object, _previous: object) -> None:
        # Preview once new results are on screen (rendering an entry takes longer than painting the
        # list), else on the next turn of the event loop: a burst of keystrokes or arrow presses
        # renders only the entry finally selected.
        if self._preview_after_paint:
            if self.results_list.isVisible():
                return  # _results_painted starts it
            self._preview_after_paint = False
        self._preview_timer.start()

    def _results_painted(self) -> None:
        """New results are on screen: now preview the selected one, then go on with start-up if a
        search typed during it held it back."""
        if self._preview_after_paint:
            self._preview_after_paint = False
            self._preview_timer.start()
        if self._startup_waits_for_results:
            self._startup_waits_for_results = False
            QTimer.singleShot(0, self._next_startup_step)  # behind the preview

    def _preview_current_result(self) -> None:
        item = self.results_list.currentItem()
        if item is None:
            return
        # Moving through results previews them: no focus change, no history entry.
        note_id = item.data(NOTE_ID_ROLE)
        if note_id is not None:
            self.open_note(int(note_id), focus=False)
        elif item.data(ENTRY_ID_ROLE):
            self.show_entry(item.data(ENTRY_ID_ROLE), record_history=False)

    def show_entry(self, entry_id: str, *, record_history: bool = True, navigate: bool = True) -> bool:
        """Render one entry in the view and load its note; an unknown id leaves the view as it was."""
        try:
            entry = self.repository.get_entry(entry_id)
        except EntryNotFoundError:
            self.statusBar().showMessage(f"No entry '{entry_id}'", 4000)
            return False
        self.entry_view.setHtml(render_entry(entry, theme=self.theme, zoom_percent=self.zoom))
        self.centre_stack.setCurrentWidget(self.entry_page)
        tab = self.current_tab
        if navigate and (not tab.history or tab.history[tab.index] != entry_id):
            del tab.history[tab.index + 1 :]
            tab.history.append(entry_id)
            tab.index = len(tab.history) - 1
        self.tab_bar.setTabText(self.tab_bar.currentIndex(), _tab_title(entry.title))
        self.tab_bar.setTabToolTip(self.tab_bar.currentIndex(), entry.title)
        self.current_entry_id = entry_id
        self._update_navigation_actions()
        self.setWindowTitle(f"{entry.title} — {APP_NAME}")
        self.reviewed_label.setText(f"{entry.title}: last reviewed {entry.last_reviewed}")
        self.notes_pane.show_entry(entry_id, entry.title)
        if record_history and not self.store.loaded:
            self._visits_waiting.append(entry_id)  # recorded when the notes DB opens
        elif record_history:
            # History is a convenience; the notes pane reports storage problems.
            with contextlib.suppress(UserDataError):
                self.store.record_visit(entry_id)
        self.entryShown.emit(entry_id)
        return True

    def open_note(self, note_id: int, *, focus: bool = True) -> None:
        note = self.store.get_note(note_id)
        if note is None:
            return
        if note.entry_id and self.repository.has_entry(note.entry_id):
            self.show_entry(note.entry_id, record_history=focus)
            if self.notes_pane.note is None or self.notes_pane.note.id != note.id:
                self.notes_pane.show_note(note, self.repository.get_entry(note.entry_id).title)
        else:
            title = f"removed entry '{note.entry_id}'" if note.entry_id else ""
            self.notes_pane.show_note(note, title)
            if note.entry_id:
                self.notes_pane.heading.setText(
                    f"My note on a removed entry ('{note.entry_id}'): the content no longer has it"
                )
        self.notes_pane.show()
        if focus:
            self.notes_pane.editor.setFocus()

    def new_note(self) -> None:
        self.notes_pane.show()
        self.notes_pane.new_free_note()

    def _note_saved(self, _note: object) -> None:
        self._mark_entries_with_notes()
        if self.left_stack.currentWidget() is self.my_notes:
            self.my_notes.refresh()

    def _mark_entries_with_notes(self) -> None:
        """A note icon on every entry in the tree that has a note."""
        from carmm_desktop.ui.icons import icon

        with_notes = self.store.entry_ids_with_notes()
        for group_index in range(self.browse_tree.topLevelItemCount()):
            group = self.browse_tree.topLevelItem(group_index)
            for child_index in range(group.childCount()):
                child = group.child(child_index)
                has_note = child.data(0, ENTRY_ID_ROLE) in with_notes
                if self.icons_ready:
                    child.setIcon(0, icon(NOTE_ICON) if has_note else icon("mdi6.circle-small"))
                child.setData(0, ACCESSIBLE_DESCRIPTION_ROLE, "has your note" if has_note else "")

    # --- notes files ------------------------------------------------------------------------------

    def _run_file_task(self, task: Callable[[], str]) -> None:
        from PySide6.QtWidgets import QMessageBox  # dialogs: not needed to start

        try:
            self.statusBar().showMessage(task(), 10000)
        except (CarmmError, OSError) as error:
            QMessageBox.warning(self, APP_NAME, str(error))
        self.my_notes.refresh()
        self._mark_entries_with_notes()

    def export_notes_markdown(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs: not needed to start

        from carmm_desktop.userdata import transfer

        folder = QFileDialog.getExistingDirectory(self, "Export notes to folder")
        if folder:
            self.notes_pane.save()
            self._run_file_task(
                lambda: f"Exported {len(transfer.export_markdown(self.store, Path(folder)))} notes to {folder}"
            )

    def export_notes_json(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs: not needed to start

        from carmm_desktop.userdata import transfer

        path, _ = QFileDialog.getSaveFileName(self, "Export notes as JSON", "carmm-notes.json", "JSON (*.json)")
        if path:
            self.notes_pane.save()
            self._run_file_task(lambda: f"Exported {transfer.export_json(self.store, Path(path))} notes to {path}")

    def import_notes(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs: not needed to start

        from carmm_desktop.userdata import transfer

        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import notes (JSON export, note file or notes database)",
            "",
            "Notes (*.json *.md *.sqlite*);;All files (*)",
        )
        if path:
            self.notes_pane.save()
            self._run_file_task(lambda: f"Imported notes: {transfer.import_notes(self.store, Path(path)).summary()}")

    def backup_notes(self) -> None:
        self.notes_pane.save()
        self._run_file_task(lambda: f"Backup written to {self.store.backup()}")

    def request_profile_switch(self) -> None:
        if self.switch_profile_handler is not None:
            self.switch_profile_handler()

    # --- comparison ------------------------------------------------------------------------------

    def add_current_to_comparison(self) -> None:
        if self.current_entry_id:
            self.add_to_comparison([self.current_entry_id])

    def add_to_comparison(self, entry_ids: list[str]) -> None:
        """Put entries in the compare tray; the comparison shows once it holds two or more."""
        for entry_id in entry_ids:
            if not self.compare_view.add(entry_id):
                break
        count = len(self.compare_view.entry_ids)
        if count >= 2:
            self.show_comparison()
        else:
            self.statusBar().showMessage("Added to comparison: pick at least one more entry", 5000)

    def show_study(self) -> None:
        """Open study mode on the chosen deck (cards are generated on first use)."""
        self.centre_stack.setCurrentWidget(self.study_view)
        self.study_view.start()

    def show_comparison(self) -> None:
        self.compare_view.theme = self.theme
        self.compare_view.fill_saved()
        self.compare_view.refresh()
        self.centre_stack.setCurrentWidget(self.compare_view)

    def _selected_result_ids(self) -> list[str]:
        ids = [item.data(ENTRY_ID_ROLE) for item in self.results_list.selectedItems()]
        return [entry_id for entry_id in ids if entry_id]

    def _results_menu(self, position) -> None:
        selected = self._selected_result_ids()
        if not selected:
            return
        menu = QMenu(self)
        if len(selected) >= 2:
            menu.addAction(f"Compare selected ({len(selected)})", lambda: self.compare_selected(selected))
        menu.addAction("Add to comparison", lambda: self.add_to_comparison(selected))
        menu.exec(self.results_list.viewport().mapToGlobal(position))

    def compare_selected(self, entry_ids: list[str] | None = None) -> None:
        """Replace the comparison with the selected results (2 to 6 of them)."""
        ids = entry_ids if entry_ids is not None else self._selected_result_ids()
        self.compare_view.set_entries(ids)
        self.show_comparison()

    def _tree_menu(self, position) -> None:
        item = self.browse_tree.itemAt(position)
        entry_id = item.data(0, ENTRY_ID_ROLE) if item is not None else None
        if entry_id:
            menu = QMenu(self)
            menu.addAction("Add to comparison", lambda: self.add_to_comparison([entry_id]))
            menu.exec(self.browse_tree.viewport().mapToGlobal(position))

    # --- navigation, bookmarks, zoom, theme, print ------------------------------------------------

    # --- tabs ------------------------------------------------------------------------------------

    @property
    def current_tab(self) -> TabState:
        return self.tab_states[max(0, self.tab_bar.currentIndex())]

    def open_in_new_tab(self, entry_id: str) -> None:
        """Ctrl+click or middle-click on an entry link: open it in a new tab and go there."""
        if not self.repository.has_entry(entry_id):
            return
        self.tab_states.append(TabState())
        index = self.tab_bar.addTab("")
        self.tab_bar.setVisible(self.tab_bar.count() > 1)
        self.tab_bar.setCurrentIndex(index)  # _tab_changed shows nothing yet: the tab is empty
        self.show_entry(entry_id)

    def duplicate_tab(self) -> None:
        if self.current_entry_id:
            self.open_in_new_tab(self.current_entry_id)

    def close_tab(self, index: int) -> None:
        if self.tab_bar.count() <= 1 or not 0 <= index < self.tab_bar.count():
            return
        del self.tab_states[index]
        self.tab_bar.removeTab(index)  # currentChanged re-renders the tab that is now current
        self.tab_bar.setVisible(self.tab_bar.count() > 1)

    def _cycle_tab(self, step: int) -> None:
        if self.tab_bar.count() > 1:
            self.tab_bar.setCurrentIndex((self.tab_bar.currentIndex() + step) % self.tab_bar.count())

    def _tab_changed(self, index: int) -> None:
        if 0 <= index < len(self.tab_states):
            tab = self.tab_states[index]
            if tab.history:
                self.show_entry(tab.history[tab.index], navigate=False)
            else:
                self._update_navigation_actions()

    def _update_navigation_actions(self) -> None:
        tab = self.current_tab
        self.back_action.setEnabled(tab.index > 0)
        self.forward_action.setEnabled(0 <= tab.index < len(tab.history) - 1)
        has_entry = self.current_entry_id is not None
        for action in (self.bookmark_action, self.copy_citation_action):
            action.setEnabled(has_entry)
        known = self.store.loaded  # else set when the notes DB opens
        self.bookmark_action.setChecked(known and has_entry and self.store.is_bookmarked(self.current_entry_id or ""))

    def go_back(self) -> None:
        tab = self.current_tab
        if tab.index > 0:
            tab.index -= 1
            self.show_entry(tab.history[tab.index], navigate=False)

    def go_forward(self) -> None:
        tab = self.current_tab
        if tab.index < len(tab.history) - 1:
            tab.index += 1
            self.show_entry(tab.history[tab.index], navigate=False)

    def mousePressEvent(self, event) -> None:
        if event.button() == QtCore.Qt.MouseButton.BackButton:
            self.go_back()
        elif event.button() == QtCore.Qt.MouseButton.ForwardButton:
            self.go_forward()
        else:
            super().mousePressEvent(event)

    def toggle_bookmark(self) -> None:
        if self.current_entry_id is None:
            return
        on = not self.store.is_bookmarked(self.current_entry_id)
        try:
            self.store.set_bookmark(self.current_entry_id, on)
        except UserDataError as error:
            self.statusBar().showMessage(str(error), 8000)
        self._update_navigation_actions()
        self.statusBar().showMessage("Bookmarked" if on else "Bookmark removed", 3000)

    def _fill_entry_menu(self, menu, entry_ids: list[str], empty_text: str) -> None:
        menu.clear()
        shown = 0
        for entry_id in entry_ids:
            if not self.repository.has_entry(entry_id):
                continue
            title = self.repository.get_entry(entry_id).title
            action = menu.addAction(title)
            action.triggered.connect(lambda _checked=False, e=entry_id: self.show_entry(e))
            shown += 1
        if not shown:
            menu.addAction(empty_text).setEnabled(False)

    def _fill_bookmarks_menu(self) -> None:
        self._fill_entry_menu(self.bookmarks_menu, self.store.bookmarks(), "No bookmarks yet (Ctrl+D)")

    def _fill_recent_menu(self) -> None:
        self._fill_entry_menu(self.recent_menu, self.store.recent_entries(15), "Nothing viewed yet")

    def _zoom_step(self, direction: int) -> int:
        index = ZOOM_STEPS.index(self.zoom) + direction
        return ZOOM_STEPS[max(0, min(len(ZOOM_STEPS) - 1, index))]

    def set_zoom(self, percent: int) -> None:
        """Text size of the entry view, remembered across sessions."""
        self.zoom = percent
        self.settings.setValue(SETTINGS_ZOOM, percent)
        self._rerender()
        self.statusBar().showMessage(f"Zoom {percent}%", 2000)

    def set_theme(self, name: str) -> None:
        """Light, dark or follow the system; the entry page is re-rendered in matching colours."""
        self.settings.setValue(SETTINGS_THEME, name)
        apply_theme(name)
        for banner in self._banners():
            self._style_banner(banner)
        if self.icons_ready:  # redraw the icons in the new text colour
            self.icons_ready = False
            self.apply_icons()
        self._rerender()

    def _rerender(self) -> None:
        compare_view = getattr(self, "_compare_view", None)
        if compare_view is not None and self.centre_stack.currentWidget() is compare_view:
            self.show_comparison()
            return
        if getattr(self, "current_entry_id", None):
            scroll = self.entry_view.verticalScrollBar().value()
            self.show_entry(self.current_entry_id, record_history=False, navigate=False)
            self.entry_view.verticalScrollBar().setValue(scroll)

    def entry_citation(self) -> str:
        entry = self.repository.get_entry(self.current_entry_id or "")
        return (
            f"{entry.title}. In: {APP_NAME}, content version {self.repository.content_version}; "
            f"entry '{entry.id}', last reviewed {entry.last_reviewed}."
        )

    def copy_citation(self) -> None:
        if self.current_entry_id:
            QGuiApplication.clipboard().setText(self.entry_citation())
            self.statusBar().showMessage("Citation copied", 3000)

    def print_entry(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.entry_view.document().print_(printer)

    def export_entry_pdf(self, path: str | None = None) -> Path | None:
        """Save the current page as PDF (asks where unless `path` is given)."""
        from PySide6.QtWidgets import QFileDialog, QMessageBox  # dialogs: not needed to start

        from carmm_desktop.ui.printing import export_pdf

        title = self.windowTitle().removesuffix(f" — {APP_NAME}")
        if path is None:
            suggested = f"{self.current_entry_id or 'carmm'}.pdf"
            path, _ = QFileDialog.getSaveFileName(self, "Export as PDF", suggested, "PDF (*.pdf)")
            if not path:
                return None
        try:
            written = export_pdf(self.entry_view.document(), Path(path), title)
        except OSError as error:
            QMessageBox.warning(self, APP_NAME, f"Could not write {path}: {error}")
            return None
        self.statusBar().showMessage(f"Saved {written}", 5000)
        return written

    def show_shortcuts(self) -> None:
        from PySide6.QtGui import QKeySequence
        from PySide6.QtWidgets import QMessageBox  # dialogs: not needed to start

        rows = "".join(
            f"<tr><td>{escape_html(action.text().replace('&', ''))}</td>"
            f"<td><b>{escape_html(action.shortcut().toString(QKeySequence.SequenceFormat.NativeText))}</b></td></tr>"
            for action in self.actions()
            if not action.shortcut().isEmpty()
        )
        QMessageBox.information(self, "Keyboard shortcuts", f"<table cellpadding='3'>{rows}</table>")

    def show_glossary(self) -> None:
        self.entry_view.setHtml(render_glossary(self.repository.glossary(), theme=self.theme, zoom_percent=self.zoom))
        self.setWindowTitle(f"Glossary — {APP_NAME}")

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # dialogs: not needed to start

        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3><p>Content {escape_html(self.repository.content_version)}</p>"
            "<p>Code: MIT licence. Content: CC BY-SA 4.0, written for education.</p>"
            f"<p>{escape_html(DISCLAIMER)}</p>",
        )

    def _show_welcome(self) -> None:
        counts = self.repository.counts_by_kind()
        rows = "".join(f"<li>{escape_html(KINDS[kind].plural)}: {count}</li>" for kind, count in counts.items())
        total = sum(counts.values())
        self.entry_view.setHtml(
            f"<h1>{APP_NAME}</h1><p>An offline reference on CAR T-cell therapy in multiple myeloma: "
            f"{total} entries, each with its sources and the date it was last reviewed.</p>"
            f"<ul>{rows}</ul>"
            + (
                '<p><b><a href="carmm://entry/start-here">Start here</a></b>: a map of the topic and how '
                "this reference is organised.</p>"
                if self.repository.has_entry("start-here")
                else ""
            )
            + "<p>Type in the search box (Ctrl+K), or pick an entry on the left. "
            "Your notes are kept in the pane on the right and under My notes (Ctrl+Shift+M).</p>"
            f"<p><small>{escape_html(DISCLAIMER)}</small></p>"
        )


def _blank_icon() -> QIcon:
    """A transparent icon holding each icon's place in the first frame: the real ones are drawn just
    after it (apply_icons), and nothing on screen moves when they arrive."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(QColor(0, 0, 0, 0))
    return QIcon(pixmap)


def _unique_keys(*keys) -> list[QKeySequence]:
    """Shortcuts without duplicates (a platform's standard key may equal the explicit one)."""
    from PySide6.QtGui import QKeySequence

    unique: list[QKeySequence] = []
    for key in keys:
        for sequence in (
            QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey) else [QKeySequence(key)]
        ):
            if not sequence.isEmpty() and sequence not in unique:
                unique.append(sequence)
    return unique


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#1f2329",
        QPalette.ColorRole.WindowText: "#e6e9ee",
        QPalette.ColorRole.Base: "#181b20",
        QPalette.ColorRole.AlternateBase: "#22262d",
        QPalette.ColorRole.Text: "#e6e9ee",
        QPalette.ColorRole.Button: "#2a2f37",
        QPalette.ColorRole.ButtonText: "#e6e9ee",
        QPalette.ColorRole.Highlight: "#3d6fb6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2a2f37",
        QPalette.ColorRole.ToolTipText: "#e6e9ee",
        QPalette.ColorRole.PlaceholderText: "#8b94a3",
        QPalette.ColorRole.Link: "#7fb0ff",
        QPalette.ColorRole.BrightText: "#ffffff",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b7380"))
    return palette


def apply_theme(name: str) -> None:
    """Light, dark or the system's scheme. Explicit choices use Fusion with a fixed palette, so they
    look the same on every platform; "system" hands the colours back to the platform (Qt 6.8+)."""
    app = QApplication.instance()
    if app is None:
        return
    hints = QGuiApplication.styleHints()
    scheme = {"light": QtCore.Qt.ColorScheme.Light, "dark": QtCore.Qt.ColorScheme.Dark}.get(
        name, QtCore.Qt.ColorScheme.Unknown
    )
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(scheme)
    if name == "dark":
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    elif name == "light":
        app.setStyle("Fusion")
        app.setPalette(app.style().standardPalette())
    else:
        app.setPalette(QPalette())
