"""My notes: every note of the profile, filterable by tag and by entry, newest first."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.content.text import escape_html
from carmm_desktop.ui.icons import icon
from carmm_desktop.ui.results import HTML_ROLE, NOTE_ID_ROLE, ResultsList
from carmm_desktop.userdata.records import NoteRecord

ALL = "__all__"
FREE = "__free__"


class MyNotesView(QWidget):
    noteActivated = Signal(int)
    newNoteRequested = Signal()

    def __init__(self, store, repository: ContentRepository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("myNotesView")
        self.store = store
        self.repository = repository
        self.tag_filter = QComboBox(self)
        self.tag_filter.setObjectName("noteTagFilter")
        self.tag_filter.setAccessibleName("Filter notes by tag")
        self.entry_filter = QComboBox(self)
        self.entry_filter.setObjectName("noteEntryFilter")
        self.entry_filter.setAccessibleName("Filter notes by entry")
        new_button = QPushButton("New note", self)
        self.new_button = new_button
        new_button.setObjectName("newNoteButton")
        new_button.clicked.connect(self.newNoteRequested)
        self.list = ResultsList(self)
        self.list.setObjectName("myNotesList")
        row = QHBoxLayout()
        row.addWidget(self.tag_filter, 1)
        row.addWidget(self.entry_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(new_button)
        layout.addWidget(self.list, 1)
        self.tag_filter.currentIndexChanged.connect(self._fill_list)
        self.entry_filter.currentIndexChanged.connect(self._fill_list)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        self.icons_ready = False

    def apply_icons(self) -> None:
        self.icons_ready = True
        self.new_button.setIcon(icon("mdi6.note-plus-outline"))

    def _title_of(self, entry_id: str | None) -> str:
        if entry_id is None:
            return "Free-standing"
        if self.repository.has_entry(entry_id):
            return self.repository.get_entry(entry_id).title
        return f"Removed entry '{entry_id}'"  # a content update dropped it: the note stays

    def refresh(self) -> None:
        """Reload the filters and the list (after a save, an import, a profile switch)."""
        tag, entry = self.tag_filter.currentData(), self.entry_filter.currentData()
        for combo in (self.tag_filter, self.entry_filter):
            combo.blockSignals(True)
            combo.clear()
        self.tag_filter.addItem("All tags", ALL)
        for name, count in self.store.tag_counts():
            self.tag_filter.addItem(f"#{name} ({count})", name)
        self.entry_filter.addItem("All entries", ALL)
        self.entry_filter.addItem("Free-standing notes", FREE)
        for entry_id in sorted(self.store.entry_ids_with_notes()):
            self.entry_filter.addItem(self._title_of(entry_id), entry_id)
        for combo, value in ((self.tag_filter, tag), (self.entry_filter, entry)):
            index = combo.findData(value)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)
        self._fill_list()

    def notes(self) -> list[NoteRecord]:
        tag = self.tag_filter.currentData()
        entry = self.entry_filter.currentData()
        return self.store.list_notes(
            tag=None if tag in (None, ALL) else tag,
            entry_id=None if entry in (None, ALL, FREE) else entry,
            free_only=entry == FREE,
        )

    def _fill_list(self, *_args: object) -> None:
        self.list.clear()
        notes = self.notes()
        for note in notes:
            where = self._title_of(note.entry_id)
            orphan = note.entry_id is not None and not self.repository.has_entry(note.entry_id)
            tags = " ".join(f"#{t}" for t in note.tags)
            item = QListWidgetItem("")
            if self.icons_ready:
                item.setIcon(icon("mdi6.alert-outline" if orphan else "mdi6.note-text-outline"))
            item.setData(NOTE_ID_ROLE, note.id)
            item.setData(
                HTML_ROLE,
                f"<b>{escape_html(note.title)}</b><br><small>{escape_html(where)} · "
                f"{escape_html(note.updated_at[:16].replace('T', ' '))} {escape_html(tags)}</small>",
            )
            self.list.addItem(item)
        if not notes:
            self.list.show_message("No notes yet. Open an entry and write in the notes pane, or press New note.")

    def _activated(self, item: QListWidgetItem) -> None:
        note_id = item.data(NOTE_ID_ROLE)
        if note_id is not None:
            self.noteActivated.emit(int(note_id))
