"""Find in page (Ctrl+F): a slim bar under the entry view; Enter = next, Shift+Enter = previous."""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QTextBrowser, QWidget


class FindBar(QWidget):
    def __init__(self, view: QTextBrowser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.view = view
        self.field = QLineEdit(self)
        self.field.setObjectName("findField")
        self.field.setPlaceholderText("Find in this entry")
        self.field.setAccessibleName("Find in this entry")
        self.status = QLabel("", self)
        previous_button = QPushButton("Previous", self)
        next_button = QPushButton("Next", self)
        close_button = QPushButton("Close", self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 2)
        row.addWidget(self.field, 1)
        row.addWidget(self.status)
        row.addWidget(previous_button)
        row.addWidget(next_button)
        row.addWidget(close_button)
        self.field.textChanged.connect(lambda _text: self.find(restart=True))
        self.field.returnPressed.connect(self.find)
        previous_button.clicked.connect(lambda: self.find(backward=True))
        next_button.clicked.connect(self.find)
        close_button.clicked.connect(self.close_bar)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.view.setFocus()

    def keyPressEvent(self, event) -> None:
        if event.key() == QtCore.Qt.Key.Key_Escape:
            self.close_bar()
        elif (
            event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter)
            and event.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier
        ):
            self.find(backward=True)
        else:
            super().keyPressEvent(event)

    def find(self, *, backward: bool = False, restart: bool = False) -> bool:
        """Select the next (or previous) match, wrapping around; say when there is none."""
        text = self.field.text()
        if not text:
            self.status.setText("")
            return False
        if restart:
            cursor = self.view.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            self.view.setTextCursor(cursor)
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.view.find(text, flags)
        if not found:  # wrap around once
            cursor = self.view.textCursor()
            cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
            self.view.setTextCursor(cursor)
            found = self.view.find(text, flags)
        self.status.setText("" if found else "Not found")
        return found
