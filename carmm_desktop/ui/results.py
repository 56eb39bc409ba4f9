"""The search results list: each row shows kind, title and a highlighted snippet."""

from __future__ import annotations

import functools
import html
import types
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QModelIndex, QSize, Signal
from PySide6.QtGui import QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QListWidget, QListWidgetItem, QStyledItemDelegate, QWidget

from carmm_desktop.content.schema import KINDS
from carmm_desktop.content.search import SearchResult
from carmm_desktop.ui.icons import kind_icon

if TYPE_CHECKING:
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

# Item data roles as plain ints (item data is keyed by int). Naming anything in the `Qt` namespace
# makes PySide6 build all ~90 of its Python enums (~25 ms), and the first frame needs none of them;
# so the first screen's modules reach `Qt` only through `QtCore.Qt` inside what runs later.
USER_ROLE = 256  # Qt.ItemDataRole.UserRole
ACCESSIBLE_TEXT_ROLE = 11  # Qt.ItemDataRole.AccessibleTextRole
ACCESSIBLE_DESCRIPTION_ROLE = 12  # Qt.ItemDataRole.AccessibleDescriptionRole
ENTRY_ID_ROLE = USER_ROLE
HTML_ROLE = USER_ROLE + 1
NOTE_ID_ROLE = USER_ROLE + 2  # a note hit (search results) or a note (My notes)


@functools.cache
def _paint_classes() -> types.SimpleNamespace:
    """QStyle, QStyleOptionViewItem and QAbstractTextDocumentLayout, imported when the first result is
    laid out: their Python enums take ~20 ms to build and the first screen shows no result. Cached,
    because an import statement under PySide6's import hook costs ~14 µs and the delegate runs per row."""
    from PySide6.QtGui import QAbstractTextDocumentLayout
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    return types.SimpleNamespace(
        QStyle=QStyle,
        QStyleOptionViewItem=QStyleOptionViewItem,
        QAbstractTextDocumentLayout=QAbstractTextDocumentLayout,
    )


def result_html(result: SearchResult) -> str:
    """Title line and snippet; the snippet is already safe HTML from the search engine."""
    kind = KINDS[result.kind].label if result.kind in KINDS else result.kind
    return (
        f"<b>{html.escape(result.title)}</b> &nbsp;<small>{html.escape(kind)}</small>"
        f"<br><small>{result.snippet}</small>"
    )


class HtmlDelegate(QStyledItemDelegate):
    """Paints an item's `HTML_ROLE` text with QTextDocument, wrapped to the row width."""

    PADDING = 6
    CACHE_SIZE = 256

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        # Laid-out documents by (HTML, width, font): the view asks for an item's size and then paints
        # it, and parsing and laying out the same HTML each time was most of a search's display cost.
        self._documents: dict[tuple[str, int, str], QTextDocument] = {}

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        icon_space = option.decorationSize.width() + 3 * self.PADDING
        width = max(50, option.rect.width() - icon_space)
        text = index.data(HTML_ROLE) or ""
        key = (text, width, option.font.key())
        document = self._documents.get(key)
        if document is None:
            if len(self._documents) >= self.CACHE_SIZE:
                self._documents.clear()
            document = QTextDocument()
            document.setDefaultFont(option.font)
            document.setDocumentMargin(0)
            document.setHtml(text)
            document.setTextWidth(width)
            self._documents[key] = document
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        qt = _paint_classes()
        options = qt.QStyleOptionViewItem(option)
        self.initStyleOption(options, index)
        style = options.widget.style() if options.widget else QApplication.style()
        options.text = ""
        style.drawControl(qt.QStyle.ControlElement.CE_ItemViewItem, options, painter, options.widget)
        document = self._document(options, index)
        icon_space = options.decorationSize.width() + 2 * self.PADDING
        painter.save()
        painter.translate(options.rect.left() + icon_space, options.rect.top() + self.PADDING)
        context = qt.QAbstractTextDocumentLayout.PaintContext()
        selected = bool(options.state & qt.QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, options.palette.color(role))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        options = _paint_classes().QStyleOptionViewItem(option)
        self.initStyleOption(options, index)
        if options.widget is not None:
            options.rect.setWidth(options.widget.viewport().width())
        document = self._document(options, index)
        return QSize(int(document.idealWidth()), int(document.size().height()) + 2 * self.PADDING)


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
        self.setItemDelegate(HtmlDelegate(self))
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        self.painted.emit()

    def show_results(self, results: list[SearchResult]) -> None:
        self.clear()
        for result in results:
            item = QListWidgetItem(kind_icon(result.kind), "")
            item.setData(ENTRY_ID_ROLE, result.id)
            item.setData(HTML_ROLE, result_html(result))
            item.setToolTip(result.title)
            item.setData(ACCESSIBLE_TEXT_ROLE, f"{result.title}, {result.kind}")
            self.addItem(item)
        if self.count():
            self.setCurrentRow(0)

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
