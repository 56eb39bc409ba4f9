"""Every location the app reads or writes goes through here, so tests and the bundle can redirect it.

Bundled, read-only things (content DB, resources, migrations) are found relative to the package
folder, or to `sys._MEIPASS` when frozen by PyInstaller. Nothing is ever written there.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CONTENT_DB_NAME = "carmm-content.sqlite"
CONTENT_DB_ENV = "CARMM_CONTENT_DB"
PROFILE_ENV = "CARMM_PROFILE"
PORTABLE_MARKER = "carmm-portable.txt"
PORTABLE_DATA_DIR = "carmm-data"
USER_DATA_FOLDER = "CARMM Desktop"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def bundle_root() -> Path:
    """Folder holding bundled data: `_MEIPASS` when frozen, else the project checkout."""
    if is_frozen():
        return Path(sys._MEIPASS)  # type: ignore[attr-defined]
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return bundle_root() / "resources"


def resource(name: str) -> Path:
    return resources_dir() / name


def content_sources_dir() -> Path | None:
    """`db/content` in a source checkout; None in the bundle, which ships only the compiled DB."""
    if is_frozen():
        return None
    candidate = bundle_root() / "db" / "content"
    return candidate if candidate.is_dir() else None


def default_content_db() -> Path:
    """The compiled content DB: `$CARMM_CONTENT_DB`, else the bundled/checkout copy."""
    override = os.environ.get(CONTENT_DB_ENV)
    if override:
        return Path(override).expanduser().resolve()
    if is_frozen():
        return bundle_root() / CONTENT_DB_NAME
    return bundle_root() / "db" / CONTENT_DB_NAME


def content_db_overridden() -> bool:
    """True when the user pointed at a DB explicitly: then it is used as is, never rebuilt."""
    return bool(os.environ.get(CONTENT_DB_ENV))


def program_dir() -> Path:
    """The folder holding the executable (bundle) or the checkout: where a portable marker sits."""
    if is_frozen():
        return Path(sys.executable).resolve().parent
    return bundle_root()


def portable_data_dir() -> Path | None:
    """`<program dir>/carmm-data` when a `carmm-portable.txt` marker asks for it and it is writable.

    For USB sticks on shared PCs: the data travels with the program. Without the marker, or when the
    folder cannot be written, the normal per-user folder is used.
    """
    folder = program_dir()
    if not (folder / PORTABLE_MARKER).is_file():
        return None
    data = folder / PORTABLE_DATA_DIR
    try:
        data.mkdir(exist_ok=True)
        probe = data / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return None
    return data


def user_data_base() -> Path:
    """Per-user data folder (never next to the program unless portable): the profiles live in it."""
    portable = portable_data_dir()
    if portable is not None:
        return portable
    if sys.platform == "win32":
        root = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        return root / "CARMM" / USER_DATA_FOLDER
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / USER_DATA_FOLDER
    root = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return root / "CARMM" / USER_DATA_FOLDER


def migrations_dir() -> Path:
    """Alembic scripts for the user DB, read as files (bundled as data by build.spec)."""
    if is_frozen():
        return bundle_root() / "carmm_desktop" / "userdata" / "migrations"
    return Path(__file__).resolve().parent / "userdata" / "migrations"
