"""Find and open the content DB the app should use (no Qt), rebuilding it in a source checkout."""

from __future__ import annotations

import sys
from pathlib import Path

from carmm_desktop import APP_ID, paths
from carmm_desktop.content.compile import build_database, needs_rebuild
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
        build_database(sources, db_path)
        return ContentRepository(db_path)
