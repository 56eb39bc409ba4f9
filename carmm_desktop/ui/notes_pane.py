"""The notes pane: one Markdown note per entry (or a free-standing note), saved as you type.

Autosave: 700 ms after typing stops, and at once on focus loss, entry switch and close. A save that
fails (read-only folder, full disk) keeps the text in the editor, says so, and is retried.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from carmm_desktop.errors import UserDataError
from carmm_desktop.render.markdown_html import render_markdown
from carmm_desktop.ui.entry_view import EntryView

if TYPE_CHECKING:
    from carmm_desktop.userdata.records import NoteRecord

AUTOSAVE_DELAY_MS = 700
RETRY_DELAY_MS = 5000
PRIVACY_REMINDER = "Do not write anything that could identify a patient."
PREVIEW_LIMIT = 200_000  # characters rendered in the preview; the editor keeps everything


class NoteEditor(QPlainTextEdit):
    """Plain-text Markdown editor; reports focus loss so the pane can save at once."""

    focusLost = Signal()

    def focusOutEvent(self, event) -> None:
        self.focusLost.emit()
        super().focusOutEvent(event)


class NotesPane(QWidget):
    """Edits the note of the current entry, or a free-standing note picked from My notes."""

    noteSaved = Signal(object)  # NoteRecord | None (deleted)

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notesPane")
        self.store = store
        self.entry_id: str | None = None
        self.entry_title = ""
        self.note: NoteRecord | None = None
        self._dirty = False
        self._loading = False
        self._waiting_for: tuple[str, str] | None = None

        self.heading = QLabel("My notes", self)
        self.heading.setObjectName("notesHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        reminder = QLabel(PRIVACY_REMINDER, self)
        reminder.setObjectName("privacyReminder")
        reminder.setWordWrap(True)
        reminder_font = reminder.font()
        reminder_font.setItalic(True)
        reminder.setFont(reminder_font)  # default text colour: readable in light and dark themes

        self.editor = NoteEditor(self)
        self.editor.setObjectName("noteEditor")
        self.editor.setPlaceholderText("Write a note in Markdown: **bold**, - lists, # headings…")
        self.editor.setAccessibleName("Note editor")
        self.editor.setTabChangesFocus(True)
        self.preview = EntryView(self)  # loads nothing; links open only on click
        self.preview.setObjectName("notePreview")
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.editor, "Write")
        self.tabs.addTab(self.preview, "Preview")
        self.tags = QLineEdit(self)
        self.tags.setObjectName("noteTags")
        self.tags.setPlaceholderText("Tags, comma-separated")
        self.tags.setAccessibleName("Note tags")
        self.status = QLabel("", self)
        self.status.setObjectName("noteStatus")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(reminder)
        layout.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("Tags:", self))
        row.addWidget(self.tags, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)

        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(AUTOSAVE_DELAY_MS)
        self.save_timer.timeout.connect(self.save)
        self.editor.textChanged.connect(self._changed)
        self.tags.textEdited.connect(self._changed)
        self.tags.editingFinished.connect(self.save)
        self.editor.focusLost.connect(self.save)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setEnabled(False)

    # --- what is being edited ----------------------------------------------------------------------

    def show_entry(self, entry_id: str, title: str) -> None:
        """Save whatever is pending, then load the entry's note (or an empty editor)."""
        if not self.store.loaded:
            # The notes DB opens just after the first frame; until then the pane waits, disabled,
            # so nothing can be typed into it and lost (see store_opened).
            self._waiting_for = (entry_id, title)
            self.heading.setText(f"My note on {title}")
            self.status.setText("Opening your notes…")
            self.setEnabled(False)
            return
        self._waiting_for = None
        self.save()
        notes = self.store.list_notes(entry_id=entry_id)
        self._load(notes[0] if notes else None, entry_id, title)

    def store_opened(self) -> None:
        """The notes DB is open: load the note of the entry shown while it was opening."""
        if self._waiting_for is not None:
            self.show_entry(*self._waiting_for)

    def show_note(self, note: NoteRecord, entry_title: str = "") -> None:
        self._waiting_for = None
        self.save()
        self._load(note, note.entry_id, entry_title)

    def new_free_note(self) -> None:
        self._waiting_for = None
        self.save()
        self._load(None, None, "")
        self.editor.setFocus()

    def _load(self, note: NoteRecord | None, entry_id: str | None, title: str) -> None:
        self._loading = True
        self.note, self.entry_id, self.entry_title = note, entry_id, title
        self.editor.setPlainText(note.body if note else "")
        self.tags.setText(", ".join(note.tags) if note else "")
        self._loading = False
        self._dirty = False
        self.heading.setText(f"My note on {title}" if entry_id else "Free-standing note")
        self.status.setText(f"Last saved {note.updated_at[:16].replace('T', ' ')} UTC" if note else "")
        self.setEnabled(True)
        if self.tabs.currentWidget() is self.preview:
            self._render_preview()

    # --- saving ------------------------------------------------------------------------------------

    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._dirty = True
        self.status.setText("Editing…")
        self.save_timer.start()

    @property
    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def save(self) -> bool:
        """Write the note now if it changed; True when nothing is left unsaved."""
        self.save_timer.stop()
        if not self._dirty:
            return True
        body = self.editor.toPlainText()
        tags = [tag for tag in self.tags.text().split(",") if tag.strip()]
        try:
            if self.note is None:
                if not body.strip() and not tags:
                    self._dirty = False
                    return True
                self.note = self.store.create_note(body, entry_id=self.entry_id, tags=tags)
            elif not body.strip() and not tags:
                self.store.delete_note(self.note.id)
                self.note = None
            else:
                self.note = self.store.update_note(self.note.id, body=body, tags=tags)
        except UserDataError as error:
            self.status.setText(f"Not saved: {error}. Your text is kept here; retrying…")
            self.save_timer.start(RETRY_DELAY_MS)
            return False
        self._dirty = False
        where = " (in memory only: the profile folder cannot be written)" if self.store.degraded_reason else ""
        self.status.setText(f"Saved {QTime.currentTime().toString('HH:mm:ss')}{where}")
        self.noteSaved.emit(self.note)
        return True

    # --- preview -----------------------------------------------------------------------------------

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.preview:
            self._render_preview()

    def _render_preview(self) -> None:
        text = self.editor.toPlainText()
        notice = ""
        if len(text) > PREVIEW_LIMIT:
            text = text[:PREVIEW_LIMIT]
            notice = f"<p><i>Preview shows the first {PREVIEW_LIMIT:,} characters.</i></p>"
        self.preview.setHtml(render_markdown(text) + notice)
