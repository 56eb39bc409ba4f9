"""The entry view: a QTextBrowser that never loads anything and routes every link itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTextBrowser, QWidget

from carmm_desktop.render.markdown_html import APP_SCHEME

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl

EXTERNAL_SCHEMES = {"http", "https", "mailto"}


def open_in_browser(url: QUrl) -> None:
    """The system browser (only ever on a click)."""
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(url)


class EntryView(QTextBrowser):
    """Shows rendered HTML. In-app links emit `entryLinkActivated`; web links open on click only."""

    entryLinkActivated = Signal(str)
    # By its C++ name: the QUrl class (and its five enums, ~1 ms) is first needed by a click.
    externalLinkActivated = Signal("QUrl")
    entryLinkInNewTab = Signal(str)
    backRequested = Signal()
    forwardRequested = Signal()
    painted = Signal()  # after each paint, so start-up can go on once the first frame is drawn

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entryView")
        self.document().setDocumentMargin(14)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._route)
        self.open_external = open_in_browser

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        self.painted.emit()

    def loadResource(self, _type: int, _url: QUrl) -> object:
        # Never fetch images, stylesheets or anything else named in the HTML, local or remote.
        return None

    def mousePressEvent(self, event) -> None:
        # The mouse's back and forward buttons navigate, as in a browser.
        if event.button() == QtCore.Qt.MouseButton.MiddleButton:
            target = self._entry_id_at(event.position().toPoint())
            if target:
                self.entryLinkInNewTab.emit(target)
                return
        if event.button() == QtCore.Qt.MouseButton.BackButton:
            self.backRequested.emit()
        elif event.button() == QtCore.Qt.MouseButton.ForwardButton:
            self.forwardRequested.emit()
        else:
            super().mousePressEvent(event)

    def _entry_id_at(self, position) -> str | None:
        from PySide6.QtCore import QUrl

        url = QUrl(self.anchorAt(position))
        if url.scheme().lower() == APP_SCHEME and url.host() == "entry":
            return url.path().lstrip("/")
        return None

    def _route(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme == APP_SCHEME and url.host() == "entry":
            entry_id = url.path().lstrip("/")
            if QGuiApplication.keyboardModifiers() & QtCore.Qt.KeyboardModifier.ControlModifier:
                self.entryLinkInNewTab.emit(entry_id)  # Ctrl+click: a new tab, as in a browser
            else:
                self.entryLinkActivated.emit(entry_id)
        elif not scheme and url.hasFragment():
            self.scrollToAnchor(url.fragment())
        elif scheme in EXTERNAL_SCHEMES:
            self.externalLinkActivated.emit(url)
            self.open_external(url)
