"""The comparison view: picked entries side by side, as the same HTML that export and print use.

Column headers carry links to open the entry, move the column left or right, or remove it; a
toolbar offers suggested and saved sets, "only differences", save, export (HTML, CSV, PDF) and print.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carmm_desktop import APP_NAME
from carmm_desktop.content import compare
from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.errors import UserDataError
from carmm_desktop.ui.entry_view import EntryView

COMPARE_SCHEME_HOST = "compare"
COLUMN_CONTROLS = (("left", "◀", "Move left"), ("right", "▶", "Move right"), ("remove", "✕", "Remove from comparison"))


class CompareView(QWidget):
    """Holds the picked entry ids (the compare tray) and shows their comparison."""

    entryRequested = Signal(str)
    changed = Signal(list)

    def __init__(self, repository: ContentRepository, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareView")
        self.repository = repository
        self.store = store
        self.entry_ids: list[str] = []
        self.theme = None

        self.tray = QLabel("", self)
        self.tray.setObjectName("compareTray")
        self.tray.setWordWrap(True)
        self.suggested = QComboBox(self)
        self.suggested.setObjectName("suggestedComparisons")
        self.suggested.setAccessibleName("Suggested comparisons")
        self.saved = QComboBox(self)
        self.saved.setObjectName("savedComparisons")
        self.saved.setAccessibleName("Saved comparisons")
        for combo in (self.suggested, self.saved):  # keep the bar narrow: long names elide
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.only_differences = QCheckBox("Only differences", self)
        self.only_differences.setObjectName("onlyDifferencesCheck")
        save_button = QPushButton("Save…", self)
        save_button.setObjectName("saveComparisonButton")
        export_button = QPushButton("Export", self)
        export_button.setObjectName("exportComparisonButton")
        export_menu = QMenu(export_button)
        export_menu.addAction("HTML…", lambda: self.export("html"))
        export_menu.addAction("CSV…", lambda: self.export("csv"))
        export_menu.addAction("PDF…", lambda: self.export("pdf"))
        export_menu.addAction("Print…", self.print_comparison)
        export_button.setMenu(export_menu)
        clear_button = QPushButton("Clear", self)
        clear_button.setObjectName("clearComparisonButton")
        self.browser = EntryView(self)
        self.browser.setObjectName("compareTable")

        pickers = QHBoxLayout()
        pickers.addWidget(self.suggested, 1)
        pickers.addWidget(self.saved, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.only_differences)
        actions.addStretch(1)
        for button in (save_button, export_button, clear_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(pickers)
        layout.addLayout(actions)
        layout.addWidget(self.tray)
        layout.addWidget(self.browser, 1)

        self.suggested.activated.connect(self._pick_suggestion)
        self.saved.activated.connect(self._pick_saved)
        self.only_differences.toggled.connect(lambda _on: self.refresh())
        save_button.clicked.connect(self.save_as)
        clear_button.clicked.connect(lambda: self.set_entries([]))
        self.browser.entryLinkActivated.connect(self.entryRequested)
        self.browser.anchorClicked.connect(self._command)
        self._fill_suggestions()
        self.saved.addItem("Saved comparisons…", None)  # filled when first shown (needs the notes DB)
        self.refresh()

    # --- the picked entries ------------------------------------------------------------------------

    def set_entries(self, entry_ids: list[str]) -> None:
        self.entry_ids = list(dict.fromkeys(entry_ids))[: compare.MAX_COLUMNS]
        self.refresh()
        self.changed.emit(self.entry_ids)

    def add(self, entry_id: str) -> bool:
        """Add one entry to the tray; False (and a message) when the tray is full."""
        if entry_id in self.entry_ids:
            return True
        if len(self.entry_ids) >= compare.MAX_COLUMNS:
            self.tray.setText(f"A comparison holds at most {compare.MAX_COLUMNS} entries: remove one first.")
            return False
        self.set_entries([*self.entry_ids, entry_id])
        return True

    def remove(self, entry_id: str) -> None:
        self.set_entries([e for e in self.entry_ids if e != entry_id])

    def move(self, entry_id: str, offset: int) -> None:
        ids = list(self.entry_ids)
        index = ids.index(entry_id)
        target = max(0, min(len(ids) - 1, index + offset))
        ids.insert(target, ids.pop(index))
        self.set_entries(ids)

    def _command(self, url: QUrl) -> None:
        if url.scheme() == "carmm" and url.host() == COMPARE_SCHEME_HOST:
            action, _, entry_id = url.path().strip("/").partition("/")
            if entry_id in self.entry_ids:
                {
                    "left": lambda: self.move(entry_id, -1),
                    "right": lambda: self.move(entry_id, +1),
                    "remove": lambda: self.remove(entry_id),
                }.get(action, lambda: None)()

    # --- rendering ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        titles = [self.repository.get_entry(e).title for e in self.entry_ids if self.repository.has_entry(e)]
        self.tray.setText("Comparing: " + " · ".join(titles) if titles else "")
        if len(self.entry_ids) < compare.MIN_COLUMNS:
            picked = "one entry so far" if self.entry_ids else "nothing yet"
            self.browser.setHtml(
                "<h2>Compare</h2><p>Pick 2 to 6 entries: <b>Add to comparison</b> (Ctrl+Shift+A) on an "
                "entry, select several search results and choose <b>Compare selected</b>, or pick a "
                f"suggested set above. So far: {picked}.</p>"
            )
            return
        comparison = compare.build_comparison(self.repository, self.entry_ids)
        page = compare.to_html(comparison, only_differences=self.only_differences.isChecked(), theme=self.theme)
        self.browser.setHtml(self._with_column_controls(page))

    def _with_column_controls(self, page: str) -> str:
        """Add move/remove links under each column title (the exported HTML stays clean)."""

        def controls(match: re.Match[str]) -> str:
            entry_id = match.group(1)
            links = " ".join(
                f'<a href="carmm://{COMPARE_SCHEME_HOST}/{action}/{entry_id}" title="{label}">{symbol}</a>'
                for action, symbol, label in COLUMN_CONTROLS
            )
            return f"{match.group(0)}<br><small>{links}</small>"

        return re.sub(r'<a href="carmm://entry/([a-z0-9-]+)">[^<]*</a>(?=</th>)', controls, page)

    def current_comparison(self):
        return compare.build_comparison(self.repository, self.entry_ids)

    # --- suggested and saved sets ------------------------------------------------------------------

    def _fill_suggestions(self) -> None:
        self.suggested.clear()
        self.suggested.addItem("Suggested comparisons…", None)
        for name, ids in compare.available_suggestions(self.repository):
            self.suggested.addItem(name, ids)

    def _pick_suggestion(self, index: int) -> None:
        ids = self.suggested.itemData(index)
        if ids:
            self.set_entries(list(ids))
        self.suggested.setCurrentIndex(0)

    def fill_saved(self) -> None:
        self.saved.clear()
        self.saved.addItem("Saved comparisons…", None)
        for name, ids in self.store.comparisons():
            self.saved.addItem(name, ids)

    def _pick_saved(self, index: int) -> None:
        ids = self.saved.itemData(index)
        if ids:
            missing = [e for e in ids if not self.repository.has_entry(e)]
            self.set_entries([e for e in ids if e not in missing])
            if missing:
                self.tray.setText(self.tray.text() + f"  (no longer in the reference: {', '.join(missing)})")
        self.saved.setCurrentIndex(0)

    def save_as(self, name: str | None = None) -> bool:
        if len(self.entry_ids) < compare.MIN_COLUMNS:
            return False
        if name is None:
            name, ok = QInputDialog.getText(self, APP_NAME, "Name of this comparison:")
            if not ok:
                return False
        try:
            self.store.save_comparison(name, self.entry_ids)
        except UserDataError as error:
            QMessageBox.warning(self, APP_NAME, str(error))
            return False
        self.fill_saved()
        return True

    # --- export ------------------------------------------------------------------------------------

    def export(self, fmt: str, path: str | None = None) -> Path | None:
        if len(self.entry_ids) < compare.MIN_COLUMNS:
            return None
        if path is None:
            filters = {"html": "HTML (*.html)", "csv": "CSV (*.csv)", "pdf": "PDF (*.pdf)"}
            path, _ = QFileDialog.getSaveFileName(self, "Export comparison", f"comparison.{fmt}", filters[fmt])
            if not path:
                return None
        comparison = self.current_comparison()
        only = self.only_differences.isChecked()
        target = Path(path)
        try:
            if fmt == "html":
                target.write_text(compare.to_html(comparison, only_differences=only), encoding="utf-8")
            elif fmt == "csv":
                target.write_text(compare.to_csv(comparison, only_differences=only), encoding="utf-8")
            else:
                from PySide6.QtGui import QTextDocument

                from carmm_desktop.ui.printing import export_pdf

                document = QTextDocument()
                document.setHtml(compare.to_html(comparison, only_differences=only))
                export_pdf(document, target, "Comparison: " + " vs ".join(e.title for e in comparison.entries))
        except OSError as error:
            QMessageBox.warning(self, APP_NAME, f"Could not write {target}: {error.strerror}")
            return None
        return target

    def print_comparison(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QPrintDialog.DialogCode.Accepted:
            self.browser.document().print_(printer)
