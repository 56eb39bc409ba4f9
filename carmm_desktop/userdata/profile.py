"""Profiles: one folder each (settings, notes DB, backups), so clinicians sharing a login keep
their notes apart. Which profile is used: `--profile DIR`, then `$CARMM_PROFILE`, then the named
profile last used under the user data folder (portable folder when asked for)."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import NamedTuple

from carmm_desktop import paths
from carmm_desktop.errors import CarmmError

DEFAULT_PROFILE = "default"
PROFILES_FOLDER = "profiles"
LAST_USED_FILE = "last-profile.txt"
PROFILE_NAME_RE = re.compile(r"^[\w][\w .-]{0,48}$")


class Profile(NamedTuple):
    name: str
    directory: Path

    @property
    def database_path(self) -> Path:
        return self.directory / "notes.sqlite"

    @property
    def settings_path(self) -> Path:
        return self.directory / "settings.ini"

    @property
    def backups_dir(self) -> Path:
        return self.directory / "backups"


def profiles_root(base: Path | None = None) -> Path:
    return (base or paths.user_data_base()) / PROFILES_FOLDER


def list_profiles(base: Path | None = None) -> list[str]:
    root = profiles_root(base)
    if not root.is_dir():
        return []
    return sorted((p.name for p in root.iterdir() if p.is_dir()), key=str.casefold)


def validate_profile_name(name: str) -> str:
    name = name.strip()
    if not PROFILE_NAME_RE.match(name) or name in {".", ".."}:
        raise CarmmError(f"'{name}' is not a usable profile name (letters, digits, spaces, . _ -; up to 49)")
    return name


def named_profile(name: str, base: Path | None = None) -> Profile:
    name = validate_profile_name(name)
    return Profile(name, profiles_root(base) / name)


def last_used_profile(base: Path | None = None) -> str:
    marker = profiles_root(base) / LAST_USED_FILE
    try:
        name = marker.read_text(encoding="utf-8").strip()
    except OSError:
        return DEFAULT_PROFILE
    return name if name in list_profiles(base) else DEFAULT_PROFILE


def remember_profile(profile: Profile, base: Path | None = None) -> None:
    root = profiles_root(base)
    if profile.directory.parent != root:
        return  # an explicit folder is not one of the named profiles
    # Remembering is a convenience; a read-only folder must not stop the app.
    with contextlib.suppress(OSError):
        (root / LAST_USED_FILE).write_text(profile.name + "\n", encoding="utf-8")


def resolve_profile(explicit: Path | str | None = None) -> tuple[Profile, bool]:
    """The profile to use and whether it was chosen explicitly (then no chooser is shown)."""
    if explicit:
        folder = Path(explicit).expanduser().resolve()
        return Profile(folder.name or "profile", folder), True
    from_env = os.environ.get(paths.PROFILE_ENV)
    if from_env:
        folder = Path(from_env).expanduser().resolve()
        return Profile(folder.name or "profile", folder), True
    return named_profile(last_used_profile()), False
