"""Find and open the content DB the app should use (no Qt), rebuilding it in a source checkout."""

from __future__ import annotations

import sys
from pathlib import Path

from carmm_desktop import APP_ID, paths
from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.errors import ContentDatabaseError, ContentValidationError


def open_content_repository(db_path: Path | None = None) -> ContentRepository:
    """Open `db_path`, or the default DB; in a checkout, rebuild it first when the sources are newer.

    An explicit path (argument or `$CARMM_CONTENT_DB`) is used as is and never rebuilt.
    """
    if db_path is not None:
        return ContentRepository(db_path)
    db_path = paths.default_content_db()
    sources = paths.content_sources_dir()
    if sources is None or paths.content_db_overridden():
        return ContentRepository(db_path)
    if needs_rebuild(sources, db_path):
        from carmm_desktop.content.compile import build_database  # SQLAlchemy: only when building

        print(f"{APP_ID}: content sources changed, rebuilding {db_path.name}", file=sys.stderr)
        try:
            build_database(sources, db_path)
        except ContentValidationError as error:
            if not db_path.is_file():
                raise
            # Keep working from the last good build while someone fixes the sources.
            print(
                f"{APP_ID}: warning: {len(error.problems)} content problems, using the last good build "
                "(run 'carmm-desktop build-db' to list them)",
                file=sys.stderr,
            )
    try:
        return ContentRepository(db_path)
    except ContentDatabaseError:
        # An unreadable or old-schema DB in a checkout is a build artefact: rebuild it once.
        from carmm_desktop.content.compile import build_database

        build_database(sources, db_path)
        return ContentRepository(db_path)


def needs_rebuild(source_root: Path, db_path: Path) -> bool:
    """True when the DB is missing or any source file (or the folder listing) is newer than it."""
    if not db_path.exists():
        return True
    built = db_path.stat().st_mtime
    if source_root.stat().st_mtime > built:
        return True
    for path in [*source_root.glob("*/*.md"), *source_root.glob("*.toml")]:
        if path.stat().st_mtime > built:
            return True
    return any(folder.stat().st_mtime > built for folder in source_root.iterdir() if folder.is_dir())
