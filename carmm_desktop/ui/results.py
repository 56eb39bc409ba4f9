"""The search results list: each row shows kind, title and a highlighted snippet."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QModelIndex, QSize, Signal
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


def result_html(result: SearchResult) -> str:
    """Title line and snippet; the snippet is already safe HTML from the search engine."""
    kind = KINDS[result.kind].label if result.kind in KINDS else result.kind
    return (
        f"<b>{escape_html(result.title)}</b> &nbsp;<small>{escape_html(kind)}</small>"
        f"<br><small>{result.snippet}</small>"
    )


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
        # Laid-out documents by (HTML, width, font): the view asks for an item's size and then paints
        # it, and parsing and laying out the same HTML each time was most of a search's display cost.
        self._documents: dict[tuple[str, int, str], QTextDocument] = {}

    def _row_width(self) -> int:
        """The viewport's width less a vertical scroll bar's, shown or not: rows are wrapped to this, so
        the scroll bar appearing after the first layout pass does not lay every row out again."""
        scroll_bar = self.view.verticalScrollBar()
        return self.view.viewport().width() - (0 if scroll_bar.isVisible() else scroll_bar.sizeHint().width())

    def _document(self, text: str, row_width: int, option: QStyleOptionViewItem) -> QTextDocument:
        width = max(50, row_width - option.decorationSize.width() - 3 * self.PADDING)
        font = option.font
        key = (text, width, font.key())
        document = self._documents.get(key)
        if document is None:
            if len(self._documents) >= self.CACHE_SIZE:
                self._documents.clear()
            document = QTextDocument()
            document.setDefaultFont(font)
            document.setDocumentMargin(0)
            document.setHtml(text)
            document.setTextWidth(width)
            self._documents[key] = document
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().paint(painter, option, index)
        self.view.rows_drawn += 1
        rect = option.rect
        document = self._document(index.data(HTML_ROLE) or "", self._row_width(), option)
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
        document = self._document(index.data(HTML_ROLE) or "", width, option)
        return QSize(width, int(document.size().height()) + 2 * self.PADDING)


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

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        self.painted.emit()

    def show_results(self, results: list[SearchResult], kind_icon: Callable[[str], QIcon]) -> None:
        """One row per result, with `kind_icon(kind)` (a placeholder while start-up has not drawn the
        icons yet: see set_kind_icons)."""
        self.clear()
        for result in results:
            item = QListWidgetItem(kind_icon(result.kind), "")
            item.setData(ENTRY_ID_ROLE, result.id)
            item.setData(KIND_ROLE, result.kind)
            item.setData(HTML_ROLE, result_html(result))
            item.setToolTip(result.title)
            item.setData(ACCESSIBLE_TEXT_ROLE, f"{result.title}, {result.kind}")
            self.addItem(item)
        if self.count():
            self.setCurrentRow(0)

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
