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
