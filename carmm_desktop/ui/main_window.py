"""The main window: search box, browse tree / results, entry view, disclaimer banner, status bar.

Object names used here (`searchBox`, `browseTree`, `resultsList`, `entryView`, `disclaimerBanner`,
`mainSplitter`, `leftStack`) are the UI automation contract: tests and scripts find widgets by them.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from carmm_desktop import APP_NAME
from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.content.schema import KINDS
from carmm_desktop.content.search import SearchEngine, SearchResponse
from carmm_desktop.errors import EntryNotFoundError
from carmm_desktop.render.entry_html import DARK, DISCLAIMER, LIGHT, render_entry
from carmm_desktop.ui.entry_view import EntryView
from carmm_desktop.ui.icons import icon, kind_icon
from carmm_desktop.ui.results import ENTRY_ID_ROLE, ResultsList

SEARCH_DELAY_MS = 80
SETTINGS_GEOMETRY = "mainWindow/geometry"
SETTINGS_SPLITTER = "mainWindow/splitter"
SETTINGS_DISCLAIMER = "disclaimer/acknowledged"


class SearchBox(QLineEdit):
    """The query field: Down moves into the results, Enter opens the top one, Esc clears."""

    moveDown = Signal()
    accepted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.setPlaceholderText("Search antigens, products, trials, toxicities…   (Ctrl+K)")
        self.setClearButtonEnabled(True)
        self.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.setAccessibleName("Search the reference")

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.moveDown.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accepted.emit()
        elif event.key() == Qt.Key.Key_Escape:
            self.clear()
        else:
            super().keyPressEvent(event)


class MainWindow(QMainWindow):
    """Browse by kind, search as you type, read an entry."""

    entryShown = Signal(str)

    def __init__(self, repository: ContentRepository, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.repository = repository
        self.search_engine = SearchEngine(repository)
        self.settings = settings
        self.current_entry_id: str | None = None
        self.last_response: SearchResponse | None = None
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(icon("app"))

        self.search_box = SearchBox(self)
        self.browse_tree = self._build_tree()
        self.results_list = ResultsList(self)
        self.entry_view = EntryView(self)
        self.left_stack = QStackedWidget(self)
        self.left_stack.setObjectName("leftStack")
        self.left_stack.addWidget(self.browse_tree)
        self.left_stack.addWidget(self.results_list)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.left_stack)
        self.splitter.addWidget(self.entry_view)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([340, 760])
        self.splitter.setChildrenCollapsible(False)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search_box)
        self.disclaimer_banner = self._build_banner()
        layout.addWidget(self.disclaimer_banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.version_label = QLabel(f"Content {repository.content_version}", self)
        self.version_label.setObjectName("contentVersionLabel")
        self.reviewed_label = QLabel("", self)
        self.reviewed_label.setObjectName("lastReviewedLabel")
        self.statusBar().addWidget(self.reviewed_label, 1)
        self.statusBar().addPermanentWidget(self.version_label)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self._connect()
        self._add_shortcuts()
        self._restore_state()
        self._show_welcome()

    # --- construction ---------------------------------------------------------------------------

    def _build_tree(self) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setObjectName("browseTree")
        tree.setHeaderHidden(True)
        tree.setAccessibleName("Browse entries by kind")
        tree.setUniformRowHeights(True)
        entries = self.repository.list_entries()
        for kind in KINDS.values():
            members = [e for e in entries if e.kind == kind.name]
            if not members:
                continue
            group = QTreeWidgetItem(tree, [f"{kind.plural} ({len(members)})"])
            group.setIcon(0, kind_icon(kind.name))
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for entry in members:
                child = QTreeWidgetItem(group, [entry.title])
                child.setData(0, ENTRY_ID_ROLE, entry.id)
                child.setToolTip(0, entry.summary)
        tree.expandAll()
        return tree

    def _build_banner(self) -> QFrame:
        banner = QFrame(self)
        banner.setObjectName("disclaimerBanner")
        banner.setFrameShape(QFrame.Shape.StyledPanel)
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        banner.setStyleSheet(f"#disclaimerBanner {{ border: 1px solid {highlight.name()}; border-radius: 4px; }}")
        row = QHBoxLayout(banner)
        row.setContentsMargins(10, 6, 6, 6)
        info = QLabel(banner)
        info.setPixmap(icon("info").pixmap(18, 18))
        text = QLabel(DISCLAIMER, banner)
        text.setWordWrap(True)
        button = QPushButton("Got it", banner)
        button.setObjectName("dismissDisclaimerButton")
        button.clicked.connect(self.dismiss_disclaimer)
        row.addWidget(info)
        row.addWidget(text, 1)
        row.addWidget(button)
        banner.setVisible(not self.settings.value(SETTINGS_DISCLAIMER, False, type=bool))
        return banner

    def _connect(self) -> None:
        self.search_box.textChanged.connect(self._schedule_search)
        self.search_box.moveDown.connect(self._focus_results)
        self.search_box.accepted.connect(self._open_top_result)
        self.browse_tree.currentItemChanged.connect(self._tree_selection_changed)
        self.results_list.currentItemChanged.connect(self._result_selection_changed)
        self.results_list.itemActivated.connect(lambda _item: self.entry_view.setFocus())
        self.entry_view.entryLinkActivated.connect(self.show_entry)

    def _add_shortcuts(self) -> None:
        focus_search = QAction("Search", self)
        focus_search.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence("Ctrl+L")])
        focus_search.triggered.connect(self.focus_search)
        self.addAction(focus_search)

    def _restore_state(self) -> None:
        geometry = self.settings.value(SETTINGS_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)
        splitter = self.settings.value(SETTINGS_SPLITTER)
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        self.settings.setValue(SETTINGS_SPLITTER, self.splitter.saveState())
        self.settings.sync()
        super().closeEvent(event)

    # --- behaviour ------------------------------------------------------------------------------

    @property
    def theme(self):
        window = self.palette().color(QPalette.ColorRole.Window)
        return DARK if window.lightness() < 128 else LIGHT

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def dismiss_disclaimer(self) -> None:
        self.disclaimer_banner.hide()
        self.settings.setValue(SETTINGS_DISCLAIMER, True)

    def _schedule_search(self, text: str) -> None:
        if text.strip():
            self._search_timer.start()
        else:
            self._search_timer.stop()
            self.left_stack.setCurrentWidget(self.browse_tree)

    def run_search(self) -> SearchResponse:
        """Search for the box's text now and show the results (public for tests and scripts)."""
        self._search_timer.stop()
        response = self.search_engine.search(self.search_box.text(), limit=50)
        self.last_response = response
        self.left_stack.setCurrentWidget(self.results_list)
        if response.results:
            self.results_list.show_results(response.results)
        else:
            message = f"<b>No results for “{html.escape(self.search_box.text().strip())}”.</b>"
            if response.suggestions:
                message += "<br>Did you mean: " + ", ".join(html.escape(s) for s in response.suggestions) + "?"
            for problem in response.query.problems:
                message += f"<br><small>Note: {html.escape(problem)}</small>"
            self.results_list.show_message(message)
        return response

    def _focus_results(self) -> None:
        if self.left_stack.currentWidget() is self.results_list and self.results_list.count():
            self.results_list.setFocus()
        else:
            self.browse_tree.setFocus()

    def _open_top_result(self) -> None:
        if self._search_timer.isActive() or self.last_response is None:
            self.run_search()
        entry_id = self.results_list.current_entry_id()
        if entry_id:
            self.show_entry(entry_id)
            self.entry_view.setFocus()

    def _tree_selection_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        entry_id = current.data(0, ENTRY_ID_ROLE) if current is not None else None
        if entry_id:
            self.show_entry(entry_id)

    def _result_selection_changed(self, current: object, _previous: object) -> None:
        entry_id = self.results_list.current_entry_id()
        if entry_id:
            self.show_entry(entry_id)

    def show_entry(self, entry_id: str) -> bool:
        """Render one entry in the view; an unknown id leaves the view as it was."""
        try:
            entry = self.repository.get_entry(entry_id)
        except EntryNotFoundError:
            self.statusBar().showMessage(f"No entry '{entry_id}'", 4000)
            return False
        self.entry_view.setHtml(render_entry(entry, theme=self.theme))
        self.current_entry_id = entry_id
        self.setWindowTitle(f"{entry.title} — {APP_NAME}")
        self.reviewed_label.setText(f"{entry.title}: last reviewed {entry.last_reviewed}")
        self.entryShown.emit(entry_id)
        return True

    def _show_welcome(self) -> None:
        counts = self.repository.counts_by_kind()
        rows = "".join(f"<li>{html.escape(KINDS[kind].plural)}: {count}</li>" for kind, count in counts.items())
        total = sum(counts.values())
        self.entry_view.setHtml(
            f"<h1>{APP_NAME}</h1><p>An offline reference on CAR T-cell therapy in multiple myeloma: "
            f"{total} entries, each with its sources and the date it was last reviewed.</p>"
            f"<ul>{rows}</ul><p>Type in the search box (Ctrl+K), or pick an entry on the left.</p>"
            f"<p><small>{html.escape(DISCLAIMER)}</small></p>"
        )
