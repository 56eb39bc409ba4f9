"""Study mode: review due cards from a deck with the keyboard (Space reveals, 1-4 grades), see the
source entry after answering, and follow progress (due, retention, streak, the last 14 days)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from carmm_desktop.content import study as cards_module
from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.content.text import escape_html
from carmm_desktop.errors import UserDataError
from carmm_desktop.ui.entry_view import EntryView
from carmm_desktop.userdata import study as schedule

DECK_LABELS = {
    "all": "All cards",
    "products": "CAR T products",
    "antigens": "Antigens",
    "agents": "Agents",
    "trials": "Trials",
    "mechanisms": "Mechanisms of failure",
    "toxicities": "Toxicities",
    "safety": "Safety switches",
    "salvage": "Salvage",
    "designs": "Designs and platforms",
    "risk-factors": "Risk factors",
    "bookmarks": "My bookmarked entries",
    "my-notes": "My own cards (Q:/A: in notes)",
}
SESSION_SIZE = 20
MIN_TAG_DECK = 8  # a tag becomes a deck when this many cards carry it


class HistoryChart(QWidget):
    """Reviews per day over the last 14 days, as bars."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("studyChart")
        self.setFixedHeight(48)
        self.per_day: list[tuple[str, int]] = []
        self.setAccessibleName("Reviews per day, last 14 days")

    def set_data(self, per_day: list[tuple[str, int]]) -> None:
        self.per_day = per_day
        self.setToolTip("\n".join(f"{day}: {count}" for day, count in per_day))
        self.update()

    def paintEvent(self, _event) -> None:
        if not self.per_day:
            return
        painter = QPainter(self)
        top = max(count for _day, count in self.per_day) or 1
        width = self.width() / len(self.per_day)
        colour = self.palette().color(QPalette.ColorRole.Highlight)
        for index, (_day, count) in enumerate(self.per_day):
            height = (self.height() - 4) * count / top
            painter.fillRect(QRectF(index * width + 2, self.height() - height, width - 4, height), colour)
        painter.end()


class _GeneratorSignals(QObject):
    done = Signal(list, str)  # cards, error message ("" when fine)


class CardGenerator(QRunnable):
    """Generates the content's study cards on a worker thread, reading its own DB connection."""

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self.signals = _GeneratorSignals()

    def run(self) -> None:
        try:
            repository = ContentRepository(self.db_path)
            try:
                cards = cards_module.generate_cards(repository)
            finally:
                repository.close()
        except Exception as error:
            self.signals.done.emit([], str(error))
            return
        self.signals.done.emit(cards, "")


class StudyView(QWidget):
    """One review session at a time over the chosen deck."""

    entryRequested = Signal(str)

    def __init__(self, repository: ContentRepository, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("studyView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.repository = repository
        self.store = store
        self._content_cards: list[cards_module.StudyCard] | None = None
        self._generator: CardGenerator | None = None
        self.queue: list[cards_module.StudyCard] = []
        self.current: cards_module.StudyCard | None = None
        self.revealed = False
        self.session_done = 0

        self.deck = QComboBox(self)
        self.deck.setObjectName("studyDeck")
        self.deck.setAccessibleName("Study deck")
        for key, label in DECK_LABELS.items():
            self.deck.addItem(label, key)
        self.counter = QLabel("", self)
        self.counter.setObjectName("studyCounter")
        self.counter.setMinimumWidth(90)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # The card: question and options, then (revealed) answer, source and a link to the entry.
        self.card_view = EntryView(self)
        self.card_view.setObjectName("studyCard")
        self.card_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the view: Space, 1-4
        self.card_html = ""
        self.reveal_button = QPushButton("Show answer  (Space)", self)
        self.reveal_button.setObjectName("studyRevealButton")
        self.grade_buttons = []
        grades = QHBoxLayout()
        for rating, label in schedule.RATINGS.items():
            button = QPushButton(f"{rating}  {label}", self)
            button.setObjectName(f"studyGrade{rating}")
            button.clicked.connect(lambda _checked=False, r=rating: self.grade(r))
            self.grade_buttons.append(button)
            grades.addWidget(button)
        self.stats = QLabel("", self)
        self.stats.setObjectName("studyProgress")
        self.stats.setWordWrap(True)
        self.chart = HistoryChart(self)

        top = QHBoxLayout()
        top.addWidget(QLabel("Deck:", self))
        top.addWidget(self.deck, 1)
        top.addWidget(self.counter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.card_view, 1)
        layout.addWidget(self.reveal_button)
        layout.addLayout(grades)
        layout.addWidget(self.stats)
        caption = QLabel("Reviews per day, last 14 days", self)
        layout.addWidget(caption)
        layout.addWidget(self.chart)

        self.deck.currentIndexChanged.connect(lambda _i: self.start())
        self.reveal_button.clicked.connect(self.reveal)
        self.card_view.entryLinkActivated.connect(self.entryRequested)

    # --- session -----------------------------------------------------------------------------------

    def _ensure_cards(self) -> bool:
        """True when the content's cards are ready; otherwise generate them off the GUI thread
        (about 0.3 s, on a connection of their own) and start the session when they arrive."""
        if self._content_cards is not None:
            return True
        if self._generator is None:
            self._show("<h3>Preparing the cards…</h3>")
            self._set_buttons(reveal=False, grade=False)
            self._generator = CardGenerator(self.repository.path)
            self._generator.signals.done.connect(self._cards_ready)
            QThreadPool.globalInstance().start(self._generator)
        return False

    def _cards_ready(self, cards: list, error: str) -> None:
        self._generator = None
        if error:
            self._show(f"<h3>Cards could not be prepared</h3><p>{escape_html(error)}</p>")
            return
        self._content_cards = cards
        counts: dict[str, int] = {}
        for card in cards:
            for tag in card.tags:
                counts[tag] = counts.get(tag, 0) + 1
        self.deck.blockSignals(True)
        for tag in sorted((t for t, n in counts.items() if n >= MIN_TAG_DECK), key=str.casefold):
            self.deck.addItem(f"Tag: {tag}", f"tag:{tag}")
        self.deck.blockSignals(False)
        self.start()

    def deck_cards(self) -> list[cards_module.StudyCard]:
        if self._content_cards is None:
            return []
        pool = self._content_cards + cards_module.note_cards(self.store.list_notes())
        return cards_module.deck_cards(pool, self.deck.currentData(), bookmarks=self.store.bookmarks())

    def start(self) -> None:
        """Load the due cards of the chosen deck (then new ones) and show the first."""
        if not self._ensure_cards():
            return
        cards = {card.id: card for card in self.deck_cards()}
        order = schedule.due_card_ids(self.store, cards, new_limit=SESSION_SIZE)[:SESSION_SIZE]
        self.queue = [cards[card_id] for card_id in order]
        self.session_done = 0
        self.next_card()
        self.setFocus()

    def next_card(self) -> None:
        self.revealed = False
        self.current = self.queue.pop(0) if self.queue else None
        self._update_progress()
        if self.current is None:
            self._show("<h3>Nothing more due in this deck.</h3><p>Come back later, or pick another deck.</p>")
            self.counter.setText("")
            self._set_buttons(reveal=False, grade=False)
            return
        card = self.current
        text = f"<h2>{escape_html(card.question)}</h2>"
        if card.distractors:
            options = "".join(f"<li>{escape_html(option)}</li>" for option in card.options())
            text += f"<ol type='A'>{options}</ol><p><small>Choose in your head, then press Space.</small></p>"
        self._show(text)
        self.counter.setText(f"{self.session_done + 1} of {self.session_done + 1 + len(self.queue)}")
        self._set_buttons(reveal=True, grade=False)

    def reveal(self) -> None:
        if self.current is None or self.revealed:
            return
        self.revealed = True
        card = self.current
        parts = [f"<p><b>Answer:</b> {escape_html(card.answer)}</p>"]
        if card.explanation:
            parts.append(f"<p>{escape_html(card.explanation)}</p>")
        if card.reference:
            parts.append(f"<p><small>Source: {escape_html(card.reference)}</small></p>")
        if card.entry_id and self.repository.has_entry(card.entry_id):
            title = self.repository.get_entry(card.entry_id).title
            parts.append(f'<p><a href="carmm://entry/{card.entry_id}">Open the entry: {escape_html(title)}</a></p>')
        self._show(
            self.card_html
            + "<hr>"
            + "".join(parts)
            + "<p><small>How well did you know it? 1 Again · 2 Hard · 3 Good · 4 Easy</small></p>"
        )
        self._set_buttons(reveal=False, grade=True)

    def grade(self, rating: int) -> None:
        if self.current is None or not self.revealed:
            return
        try:
            schedule.review(self.store, self.current.id, rating)
        except UserDataError as error:
            self.stats.setText(f"Could not save this review: {error}")
            return
        if rating == 1:
            self.queue.append(self.current)  # again: once more at the end of this session
        self.session_done += 1
        self.next_card()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.revealed:
            self.reveal()
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_4 and self.revealed:
            self.grade(key - Qt.Key.Key_0)
        else:
            super().keyPressEvent(event)

    def _show(self, card_html: str) -> None:
        if not self.revealed:
            self.card_html = card_html
        self.card_view.setHtml(card_html)

    def _set_buttons(self, *, reveal: bool, grade: bool) -> None:
        self.reveal_button.setEnabled(reveal)
        for button in self.grade_buttons:
            button.setEnabled(grade)

    def _update_progress(self) -> None:
        progress = schedule.progress(self.store, [card.id for card in self.deck_cards()])
        retention = "–" if progress.retention_30d is None else f"{100 * progress.retention_30d:.0f}%"
        self.stats.setText(
            f"Due now: {progress.due_now} · Reviewed today: {progress.reviewed_today} · "
            f"Retention (30 days): {retention} · Streak: {progress.streak_days} day(s)"
        )
        self.chart.set_data(progress.per_day)
