"""The comparison view driven through real widgets: add, select, reorder, remove, save, export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget


@pytest.fixture
def window(shipped_window):
    return shipped_window


def test_compare_action_builds_a_comparison_from_the_entry_view(qtbot, window) -> None:
    assert window.findChild(QWidget, "compareView") is window.compare_view
    compare_action = window.findChild(QAction, "compareAction")
    window.show_entry("ide-cel")
    compare_action.trigger()
    assert window.centre_stack.currentWidget() is window.entry_page  # one entry: not yet a comparison
    window.show_entry("cilta-cel")
    qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.centre_stack.currentWidget() is window.compare_view
    text = window.compare_view.browser.toPlainText()
    assert "Idecabtagene vicleucel" in text and "Ciltacabtagene autoleucel" in text
    assert "Binding domain" in text and "not an scFv" in text


def test_multi_select_results_then_compare_selected(qtbot, window) -> None:
    window.search_box.setText("kind:product BCMA")
    window.run_search()
    results = window.results_list
    for row in range(3):
        results.item(row).setSelected(True)
    selected = window._selected_result_ids()
    assert len(selected) == 3
    window.compare_selected()
    assert window.compare_view.entry_ids == selected
    assert window.centre_stack.currentWidget() is window.compare_view


def test_reorder_remove_and_only_differences(window) -> None:
    view = window.compare_view
    view.set_entries(["ide-cel", "cilta-cel", "eque-cel"])
    view.browser.anchorClicked.emit(QUrl("carmm://compare/right/ide-cel"))
    assert view.entry_ids == ["cilta-cel", "ide-cel", "eque-cel"]
    view.browser.anchorClicked.emit(QUrl("carmm://compare/remove/eque-cel"))
    assert view.entry_ids == ["cilta-cel", "ide-cel"]
    everything = view.browser.toPlainText()
    view.only_differences.setChecked(True)
    differences = view.browser.toPlainText()
    assert "Costimulatory domain" in everything and "Costimulatory domain" not in differences  # both 4-1BB
    assert "Binding domain" in differences


def test_column_header_opens_the_entry(window) -> None:
    window.compare_view.set_entries(["karmma-3", "cartitude-4"])
    window.show_comparison()
    window.compare_view.browser.anchorClicked.emit(QUrl("carmm://entry/karmma-3"))
    assert window.current_entry_id == "karmma-3" and window.centre_stack.currentWidget() is window.entry_page


def test_suggested_and_saved_comparisons(window, tmp_path: Path) -> None:
    view = window.compare_view
    index = view.suggested.findText("Phase 3 CAR T trials")
    assert index > 0
    view.suggested.activated.emit(index)
    assert view.entry_ids == ["karmma-3", "cartitude-4"]
    assert view.save_as("phase 3 for the exam")
    view.set_entries([])
    saved_index = view.saved.findText("phase 3 for the exam")
    view.saved.activated.emit(saved_index)
    assert view.entry_ids == ["karmma-3", "cartitude-4"]
    assert window.store.comparisons() == [("phase 3 for the exam", ["karmma-3", "cartitude-4"])]


def test_tray_holds_at_most_six(window) -> None:
    view = window.compare_view
    ids = ["ide-cel", "cilta-cel", "eque-cel", "zevor-cel", "anito-cel", "allo-715"]
    view.set_entries(ids)
    assert not view.add("bb21217")
    assert view.entry_ids == ids and "at most 6" in view.tray.text()


@pytest.mark.parametrize("fmt", ["html", "csv", "pdf"])
def test_exports(window, tmp_path: Path, fmt: str) -> None:
    window.compare_view.set_entries(["ide-cel", "cilta-cel"])
    path = window.compare_view.export(fmt, str(tmp_path / f"comparison.{fmt}"))
    data = path.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode())))
        assert rows[0][0] == "section" and rows[-1][0].startswith("CARMM Desktop comparison; content version")
    else:
        assert b"content version" in data and b"carmm://compare" not in data  # no UI links in exports
