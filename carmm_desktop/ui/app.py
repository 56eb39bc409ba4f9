"""Composition root for the GUI: the QApplication, profile, stores and main window are built here only."""

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
    """The process's QApplication, created once with the app's names."""
    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    return app


def create_main_window(
    profile_dir: Path | str | None = None,
    *,
    content_db: Path | None = None,
    repository: ContentRepository | None = None,
    store=None,
    first_screen_only: bool = False,
):
    """The ready main window, creating the QApplication first if needed (the automation entry point).

    `profile_dir` picks the profile folder (settings and notes); without it: `$CARMM_PROFILE`, then
    the last-used named profile. `content_db`/`repository` and `store` let tests inject their own.
    `first_screen_only` (the app's own start) builds the views off the first screen after it is painted.
    """
    ensure_application()
    from PySide6.QtCore import QSettings

    from carmm_desktop.content.locate import open_content_repository
    from carmm_desktop.ui.main_window import MainWindow
    from carmm_desktop.userdata.lazy import LazyUserStore
    from carmm_desktop.userdata.profile import remember_profile, resolve_profile

    profile, _explicit = resolve_profile(profile_dir)
    if repository is None:
        repository = open_content_repository(content_db)
    if store is None:
        store = LazyUserStore(profile.database_path)
    settings = QSettings(str(profile.settings_path), QSettings.Format.IniFormat)
    theme = str(settings.value("view/theme", "system"))
    if theme != "system":
        from carmm_desktop.ui.main_window import apply_theme

        apply_theme(theme)
    window = MainWindow(repository, store, settings, profile, first_screen_only=first_screen_only)
    remember_profile(profile)
    return window


def choose_profile(parent=None) -> str | None:
    """Ask which named profile to use (shared ward PCs); None when cancelled."""
    from PySide6.QtWidgets import QInputDialog

    from carmm_desktop.userdata.profile import DEFAULT_PROFILE, last_used_profile, list_profiles, named_profile

    names = list_profiles() or [DEFAULT_PROFILE]
    new_label = "New profile…"
    current = last_used_profile()
    choice, ok = QInputDialog.getItem(
        parent,
        APP_NAME,
        "Whose notes? Choose your profile:",
        [*names, new_label],
        names.index(current) if current in names else 0,
        False,
    )
    if not ok:
        return None
    if choice == new_label:
        name, ok = QInputDialog.getText(parent, APP_NAME, "Name of the new profile:")
        if not ok or not name.strip():
            return None
        try:
            return named_profile(name).name
        except CarmmError as error:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(parent, APP_NAME, str(error))
            return None
    return choice


def run_gui(open_repository: Callable[[], ContentRepository], profile_dir: Path | None = None) -> int:
    app = ensure_application(sys.argv)
    from PySide6.QtWidgets import QMessageBox

    from carmm_desktop.userdata.profile import list_profiles, named_profile, resolve_profile

    try:
        repository = open_repository()
    except CarmmError as error:
        QMessageBox.critical(None, APP_NAME, f"{APP_NAME} cannot start.\n\n{error}")
        print(f"{APP_ID}: error: {error}", file=sys.stderr)
        return 1
    _profile, explicit = resolve_profile(profile_dir)
    if not explicit and len(list_profiles()) > 1:
        name = choose_profile()
        if name is None:
            return 0
        profile_dir = named_profile(name).directory
    windows: list[object] = []

    def open_window(folder: Path | str | None) -> None:
        window = create_main_window(folder, repository=repository, first_screen_only=True)

        def switch() -> None:
            name = choose_profile(window)
            if name is not None:
                window.close()
                if window.isVisible():  # the user kept an unsaved note: stay
                    return
                open_window(named_profile(name).directory)

        window.switch_profile_handler = switch
        windows.append(window)
        window.show()

    open_window(profile_dir)
    return app.exec()


def run_smoke(open_repository: Callable[[], ContentRepository], profile_dir: Path | None = None) -> int:
    """Start the real window offscreen, search, render, navigate, save a note; report timings."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import tempfile

    started = time.perf_counter()

    def lap(label: str, since: float) -> float:
        now = time.perf_counter()
        print(f"{label}: {1000 * (now - since):.0f} ms")
        return now

    app = ensure_application([sys.argv[0]])
    mark = lap("qt application", started)
    repository = open_repository()
    mark = lap(f"content db opened ({repository.content_version}, {repository.path.name})", mark)
    from carmm_desktop.ui.icons import icon

    with tempfile.TemporaryDirectory(prefix=f"{APP_ID}-smoke-") as scratch:
        # A throwaway profile unless one was given: the smoke test must not touch real notes.
        window = create_main_window(profile_dir or Path(scratch) / "profile", repository=repository)
        window.show()
        app.processEvents()
        mark = lap("main window shown", mark)
        window.after_first_frame()  # what start-up defers past the first frame: notes DB, icons
        mark = lap("notes db opened, icons drawn", mark)
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
        linked = repository.get_entry(probe.id).links
        if linked:
            window.entry_view.entryLinkActivated.emit(linked[0].entry.id)
            if window.current_entry_id != linked[0].entry.id:
                raise CarmmError("following a related-entry link did not navigate")
            window.go_back()
            if window.current_entry_id != probe.id:
                raise CarmmError("going back did not return to the first entry")
            mark = lap(f"followed link to '{linked[0].entry.id}' and went back", mark)
        if profile_dir is None:
            window.notes_pane.editor.setPlainText("smoke test note")
            if not window.notes_pane.save() or not window.store.list_notes(entry_id=window.current_entry_id):
                raise CarmmError("a note could not be saved")
            mark = lap("note saved", mark)
        pixmap = icon("search").pixmap(32, 32)
        if pixmap.isNull() or pixmap.toImage().isNull():
            raise CarmmError("icon font did not render")
        mark = lap("icon rendered", mark)
        window.close()
        window.store.close()
        app.processEvents()
    print(f"smoke test passed in {1000 * (time.perf_counter() - started):.0f} ms")
    return 0


def run_bench_startup(open_repository: Callable[[], ContentRepository], profile_dir: Path | None = None) -> int:
    """For bench/startup.py: print `shown` when the window is up and `searched` after a first search,
    each with the CPU milliseconds the process has used by then, and then its peak RSS."""
    if profile_dir is None:  # bench/startup.py passes one, so the start it times imports no tempfile
        import tempfile

        with tempfile.TemporaryDirectory(prefix=f"{APP_ID}-bench-") as scratch:
            return run_bench_startup(open_repository, Path(scratch) / "profile")
    import resource

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = ensure_application([sys.argv[0]])
    window = create_main_window(profile_dir, repository=open_repository(), first_screen_only=True)
    from PySide6.QtCore import QTimer

    # The views' `painted` signals fire on every paint: each slot disconnects itself (a
    # SingleShotConnection would name the Qt namespace, whose enums the first frame does without).
    def window_painted() -> None:
        window.entry_view.painted.disconnect(window_painted)
        print(f"shown {1000 * time.process_time():.1f}", flush=True)  # and the CPU ms used so far
        QTimer.singleShot(0, first_search)

    rows_drawn_before = [0]

    def first_search() -> None:
        # Answered when the results' rows have been painted on screen, not merely computed (nor a
        # paint of the list that drew none of them).
        rows_drawn_before[0] = window.results_list.rows_drawn
        window.results_list.painted.connect(results_painted)
        window.search_box.setText("BCMA")
        window.run_search()

    def results_painted() -> None:
        if window.results_list.rows_drawn == rows_drawn_before[0]:
            return
        window.results_list.painted.disconnect(results_painted)
        print(f"searched {1000 * time.process_time():.1f}", flush=True)
        QTimer.singleShot(600, finish)  # let the deferred start-up work finish, for peak RSS

    def finish() -> None:
        print(f"maxrss_kb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", flush=True)
        window.close()
        window.store.close()
        app.quit()

    window.entry_view.painted.connect(window_painted)
    window.show()
    app.exec()
    return 0
