"""The search results list: each row shows kind, title and a highlighted snippet."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QModelIndex, QSize, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyledItemDelegate, QWidget

from carmm_desktop.content.schema import KINDS
from carmm_desktop.content.text import escape_html

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    from carmm_desktop.content.search import SearchResult

# Item data roles as plain ints (item data is keyed by int). Naming anything in the `Qt` namespace
# makes PySide6 build all ~90 of its Python enums (~25 ms), and the first frame needs none of them;
# so the first screen's modules reach `Qt` only through `QtCore.Qt` inside what runs later.
USER_ROLE = 256  # Qt.ItemDataRole.UserRole
ACCESSIBLE_TEXT_ROLE = 11  # Qt.ItemDataRole.AccessibleTextRole
ACCESSIBLE_DESCRIPTION_ROLE = 12  # Qt.ItemDataRole.AccessibleDescriptionRole
ENTRY_ID_ROLE = USER_ROLE
HTML_ROLE = USER_ROLE + 1
NOTE_ID_ROLE = USER_ROLE + 2  # a note hit (search results) or a note (My notes)
KIND_ROLE = USER_ROLE + 5  # an entry's kind: result rows, the browse tree's group rows


def row_html(title: str, label: str, snippet_html: str) -> str:
    """A search row: the title in bold with a small label beside it, then the snippet, which is
    already safe HTML (the search engine's or the notes store's)."""
    return f"<b>{escape_html(title)}</b> &nbsp;<small>{escape_html(label)}</small><br><small>{snippet_html}</small>"


def result_html(result: SearchResult) -> str:
    """A reference result's row, labelled with its kind."""
    return row_html(result.title, KINDS[result.kind].label if result.kind in KINDS else result.kind, result.snippet)


class HtmlDelegate(QStyledItemDelegate):
    """Paints an item's `HTML_ROLE` text with QTextDocument, wrapped to the row width.

    The base class (C++) paints the row's background, selection and icon, since the items' display
    text is empty; this class lays out and draws the HTML beside the icon. Neither method copies the
    style option or names QStyle in Python: that cost ~0.3 ms a row and ~15 ms of enums on the first
    search.
    """

    PADDING = 6
    CACHE_SIZE = 256

    def __init__(self, view: ResultsList) -> None:
        super().__init__(view)
        self.view = view
        # Laid-out documents and their rows' heights by (HTML, width, font): the view asks for a row's
        # size two or three times per layout and then paints it, and parsing and laying out the same
        # HTML each time was most of a search's display cost.
        self._documents: dict[tuple[str, int, str], QTextDocument] = {}
        self._heights: dict[tuple[str, int, str], int] = {}

    def _row_width(self) -> int:
        """The viewport's width less a vertical scroll bar's, shown or not: rows are wrapped to this, so
        the scroll bar appearing after the first layout pass does not lay every row out again."""
        scroll_bar = self.view.verticalScrollBar()
        return self.view.viewport().width() - (0 if scroll_bar.isVisible() else scroll_bar.sizeHint().width())

    def _key(self, text: str, row_width: int, option: QStyleOptionViewItem) -> tuple[str, int, str]:
        return (text, max(50, row_width - option.decorationSize.width() - 3 * self.PADDING), option.font.key())

    def _document(self, key: tuple[str, int, str], option: QStyleOptionViewItem) -> QTextDocument:
        document = self._documents.get(key)
        if document is None:
            if len(self._documents) >= self.CACHE_SIZE:
                self._documents.clear()
                self._heights.clear()
            text, width, _font = key
            document = QTextDocument()
            document.setDefaultFont(option.font)
            document.setDocumentMargin(0)
            document.setHtml(text)
            document.setTextWidth(width)
            self._documents[key] = document
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().paint(painter, option, index)
        self.view.rows_drawn += 1
        rect = option.rect
        document = self._document(self._key(index.data(HTML_ROLE) or "", self._row_width(), option), option)
        selected = self.view.selectionModel().isSelected(index)
        painter.save()
        painter.translate(rect.left() + option.decorationSize.width() + 2 * self.PADDING, rect.top() + self.PADDING)
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        # Rows are as wide as the list; only the height is measured.
        width = self._row_width()
        text = index.data(HTML_ROLE)
        if not text:  # a row whose text comes after the first paint (see show_results), off screen
            return QSize(width, 2 * self.PADDING)
        key = self._key(text, width, option)
        height = self._heights.get(key)
        if height is None:
            height = self._heights[key] = int(self._document(key, option).size().height()) + 2 * self.PADDING
        return QSize(width, height)


class ResultsList(QListWidget):
    """Search results; `objectName` `searchResults` is part of the UI automation contract."""

    painted = Signal()  # after each paint of the rows, so work can wait until results are on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A viewport made in Python: the delegate asks for its width, and the first time Python is
        # handed a widget made in C++, PySide6 probes it against dozens of widget classes and builds
        # their enums (~15 ms, on the first search).
        self.setViewport(QWidget(self))
        self.setObjectName("searchResults")
        # Rows painted so far: a paint of the list is not necessarily one that shows its rows, and
        # the start-up benchmark counts a search as answered only when they are on screen.
        self.rows_drawn = 0
        self.setItemDelegate(HtmlDelegate(self))
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        # Rows whose text waits for the first paint of their search (see show_results).
        self._text_to_come: list[tuple[QListWidgetItem, SearchResult]] = []

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        self.painted.emit()
        if self._text_to_come:
            QTimer.singleShot(0, self._fill_text)  # the answer is on screen: now the rows below it

    def clear(self) -> None:
        self._text_to_come = []  # rows still waiting for their text go with the rest
        super().clear()

    def show_results(self, results: list[SearchResult], kind_icon: Callable[[str], QIcon]) -> None:
        """One row per result, with `kind_icon(kind)` (a placeholder while start-up has not drawn the
        icons yet: see set_kind_icons).

        Every row is there at once (its entry, kind, tooltip and accessible text), but only the rows
        that can be on screen get their text now: each is an HTML document to parse and wrap, and
        the rest get theirs just after the answer's first paint (laying out all 50 first kept it
        off screen ~5 ms longer)."""
        self.clear()
        first_screen = self.rows_that_fit()
        for position, result in enumerate(results):
            item = QListWidgetItem(kind_icon(result.kind), "")
            item.setData(ENTRY_ID_ROLE, result.id)
            item.setData(KIND_ROLE, result.kind)
            if position < first_screen:
                item.setData(HTML_ROLE, result_html(result))
            else:
                self._text_to_come.append((item, result))
            item.setToolTip(result.title)
            item.setData(ACCESSIBLE_TEXT_ROLE, f"{result.title}, {result.kind}")
            self.addItem(item)
        if self.count():
            self.setCurrentRow(0)

    def rows_that_fit(self) -> int:
        """How many of the shortest rows (a title line and a snippet line) fill the viewport, plus
        one: the rows show_results gives their text at once."""
        shortest_row = 3 * self.fontMetrics().lineSpacing() // 2 + 2 * HtmlDelegate.PADDING  # a low bound
        return max(8, self.viewport().height() // shortest_row + 1)

    def _fill_text(self) -> None:
        waiting, self._text_to_come = self._text_to_come, []
        for item, result in waiting:
            item.setData(HTML_ROLE, result_html(result))

    def set_kind_icons(self, kind_icon: Callable[[str], QIcon]) -> None:
        """Redraw the rows' kind icons (once start-up has the icon font; after a theme change)."""
        for row in range(self.count()):
            item = self.item(row)
            kind = item.data(KIND_ROLE)
            if kind:
                item.setIcon(kind_icon(kind))

    def show_message(self, message_html: str) -> None:
        """A single unselectable row: "no results" and suggestions."""
        self.clear()
        item = QListWidgetItem("")
        item.setData(HTML_ROLE, message_html)
        item.setFlags(QtCore.Qt.ItemFlag.NoItemFlags)
        self.addItem(item)

    def current_entry_id(self) -> str | None:
        item = self.currentItem()
        return item.data(ENTRY_ID_ROLE) if item is not None else None
