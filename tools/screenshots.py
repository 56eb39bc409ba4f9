"""Save screenshots of the main window for docs/screenshots/ (offscreen: QWidget.grab()).

    python tools/screenshots.py docs/screenshots [--db PATH] [--size 1366x800]

Uses a throwaway profile with a few example notes, never the user's own.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from carmm_desktop.ui.app import create_main_window, ensure_application

EXAMPLE_NOTES = [
    (
        "cilta-cel",
        "# Our centre\n- Bridging: aim for **tumour debulking** before infusion\n- Check handwriting "
        "and gait at every visit to day 100 (MNT)",
        ["protocol", "ward"],
    ),
    ("karmma-3", "Exam: remember the comparator was a **standard regimen** chosen by the investigator.", ["exam"]),
    (None, "# Questions for tumour board\n1. Sequencing BCMA CAR T after a BCMA bispecific?", ["meeting"]),
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--size", default="1366x768")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = ensure_application()
    width, height = (int(v) for v in args.size.split("x"))

    def shot(window, name: str) -> None:
        for _ in range(3):  # what comes a turn later too: the rows of a long answer below the screen
            app.processEvents()
        path = args.out / name
        window.grab().save(str(path))
        print(path)

    with tempfile.TemporaryDirectory() as temp:
        window = create_main_window(Path(temp) / "profile", content_db=args.db)
        notes = {}
        for entry_id, body, tags in EXAMPLE_NOTES:
            if entry_id is None or window.repository.has_entry(entry_id):
                notes[entry_id] = window.store.create_note(body, entry_id=entry_id, tags=tags)
        window._mark_entries_with_notes()
        window.resize(width, height)
        window.show()
        app.processEvents()
        window.after_first_frame()  # icons and the notes DB, normally loaded after the first paint
        if window.repository.has_entry("cilta-cel"):
            window.show_entry("cilta-cel")
            shot(window, "main-window-entry.png")
            window.notes_pane.tabs.setCurrentIndex(1)
            shot(window, "notes-pane-preview.png")
            window.notes_pane.tabs.setCurrentIndex(0)
        window.search_box.setText("GPRC5D")
        window.run_search()
        shot(window, "main-window-search.png")
        window.search_box.clear()
        if window.repository.has_entry("cartitude-4"):
            window.show_entry("cartitude-4")
            shot(window, "main-window-trial.png")
        window.compare_view.set_entries(["ide-cel", "cilta-cel", "eque-cel", "zevor-cel"])
        window.show_comparison()
        shot(window, "compare-products.png")
        window.compare_view.set_entries(["karmma-3", "cartitude-4"])
        window.compare_view.only_differences.setChecked(True)
        window.show_comparison()
        shot(window, "compare-trials.png")
        window.compare_view.only_differences.setChecked(False)
        window.show_study()
        deadline = time.monotonic() + 30
        while window.study_view.current is None and time.monotonic() < deadline:
            app.processEvents()  # cards are generated on a worker thread
            time.sleep(0.02)
        window.study_view.deck.setCurrentIndex(window.study_view.deck.findData("products"))
        window.study_view.reveal()
        shot(window, "study.png")
        window.show_my_notes(True)
        if "cilta-cel" in notes:  # the list beside the note it opens, not the study card left on screen
            window.open_note(notes["cilta-cel"].id, focus=False)
        shot(window, "my-notes.png")
        window.show_my_notes(False)
        window.set_theme("dark")
        if window.repository.has_entry("cilta-cel"):
            window.show_entry("cilta-cel")
            shot(window, "main-window-entry-dark.png")
        window.search_box.setText("relapse after BCMA")
        window.run_search()
        shot(window, "main-window-search-dark.png")
        window.set_theme("system")
        window.close()
        window.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
