"""Save screenshots of the main window for docs/screenshots/ (works offscreen: QWidget.grab()).

    python tools/screenshots.py docs/screenshots [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings  # noqa: E402

from carmm_desktop.cli import open_repository  # noqa: E402
from carmm_desktop.ui.app import create_main_window, ensure_application  # noqa: E402

SHOTS = [
    ("main-window-entry.png", "show", "cilta-cel"),
    ("main-window-search.png", "search", "GPRC5D"),
    ("main-window-trial.png", "show", "cartitude-4"),
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = ensure_application()
    repository = open_repository(args.db)
    with tempfile.TemporaryDirectory() as temp:
        settings = QSettings(str(Path(temp) / "s.ini"), QSettings.Format.IniFormat)
        window = create_main_window(repository, settings)
        width, height = (int(v) for v in args.size.split("x"))
        window.resize(width, height)
        window.show()
        for filename, action, value in SHOTS:
            window.search_box.clear()
            if action == "show":
                if not repository.has_entry(value):
                    continue
                window.show_entry(value)
            else:
                window.search_box.setText(value)
                window.run_search()
            app.processEvents()
            window.grab().save(str(args.out / filename))
            print(args.out / filename)
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
