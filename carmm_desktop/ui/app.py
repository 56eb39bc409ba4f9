"""Composition root for the GUI: the QApplication, settings and main window are built here only."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from carmm_desktop import APP_ID, APP_NAME, __version__
from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.errors import CarmmError

ORGANISATION = "CARMM"


def ensure_application(argv: list[str] | None = None):
    """The process's QApplication, created once with the app's names (used by QSettings)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    return app


def default_settings():
    from PySide6.QtCore import QSettings

    return QSettings(ORGANISATION, APP_ID)


def create_main_window(repository: ContentRepository, settings=None):
    """Build the main window over an open repository (the entry point for tests and automation).

    `settings` is a QSettings; pass one backed by a temporary file in tests.
    """
    from carmm_desktop.ui.main_window import MainWindow

    ensure_application()
    return MainWindow(repository, settings if settings is not None else default_settings())


def run_gui(open_repository: Callable[[], ContentRepository]) -> int:
    app = ensure_application(sys.argv)
    from PySide6.QtWidgets import QMessageBox

    from carmm_desktop.ui.icons import icon

    app.setWindowIcon(icon("app"))
    try:
        repository = open_repository()
    except CarmmError as error:
        QMessageBox.critical(None, APP_NAME, f"{APP_NAME} cannot start.\n\n{error}")
        print(f"{APP_ID}: error: {error}", file=sys.stderr)
        return 1
    window = create_main_window(repository)
    window.show()
    return app.exec()


def run_smoke(open_repository: Callable[[], ContentRepository]) -> int:
    """Start the real window offscreen, search, render an entry and an icon; report timings."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()

    def lap(label: str, since: float) -> float:
        now = time.perf_counter()
        print(f"{label}: {1000 * (now - since):.0f} ms")
        return now

    app = ensure_application([sys.argv[0]])
    mark = lap("qt application", started)
    repository = open_repository()
    mark = lap(f"content db opened ({repository.content_version}, {repository.path.name})", mark)
    from PySide6.QtCore import QSettings

    from carmm_desktop.ui.icons import icon

    settings_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"{APP_ID}-smoke-{os.getpid()}.ini"
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    try:
        window = create_main_window(repository, settings)
        window.show()
        app.processEvents()
        mark = lap("main window shown", mark)
        entries = repository.list_entries()
        if not entries:
            raise CarmmError("the content database has no entries")
        probe = entries[0]
        window.search_box.setText(probe.title)
        response = window.run_search()
        if not response.results or response.results[0].id != probe.id:
            raise CarmmError(f"search for '{probe.title}' did not find it first")
        mark = lap(f"search '{probe.title}' -> {len(response.results)} results, first '{response.results[0].id}'", mark)
        if not window.show_entry(probe.id) or probe.title not in window.entry_view.toPlainText():
            raise CarmmError(f"entry '{probe.id}' did not render")
        mark = lap(f"entry '{probe.id}' rendered ({len(window.entry_view.toPlainText())} characters)", mark)
        pixmap = icon("search").pixmap(32, 32)
        if pixmap.isNull() or pixmap.toImage().isNull():
            raise CarmmError("icon font did not render")
        mark = lap("icon rendered", mark)
        window.close()
        app.processEvents()
    finally:
        settings_path.unlink(missing_ok=True)
    print(f"smoke test passed in {1000 * (time.perf_counter() - started):.0f} ms")
    return 0
