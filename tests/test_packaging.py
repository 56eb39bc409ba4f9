"""The packaged app: build the PyInstaller bundle, make a read-only copy, run its --smoke.

This is the product clinicians receive, so it is tested like they use it: no virtualenv on PATH,
no PYTHONPATH, a fresh HOME, another working directory, and a bundle folder nobody can write to.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.packaging


def listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*"))}


def make_read_only(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def make_writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_bundle_smoke_from_read_only_folder(shipped_db: Path, tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "work"),
            str(REPO_ROOT / "build.spec"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPO_ROOT,
        env={**os.environ, "CARMM_BUNDLE_CONTENT_DB": str(shipped_db)},
    )
    assert build.returncode == 0, build.stderr[-3000:]

    installed = tmp_path / "opt" / "carmm-desktop"
    shutil.copytree(tmp_path / "dist" / "carmm-desktop", installed, symlinks=True)
    make_read_only(installed)
    before = listing(installed)
    home = tmp_path / "bundle-home"
    home.mkdir()
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    try:
        env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
        smoke = subprocess.run(
            [str(installed / "carmm-desktop"), "--smoke"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=elsewhere,
            env=env,
        )
        assert smoke.returncode == 0, smoke.stdout + smoke.stderr
        assert "smoke test passed" in smoke.stdout and "icon rendered" in smoke.stdout
        search = subprocess.run(
            [str(installed / "carmm-desktop"), "search", "BCMA", "--limit", "3"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=elsewhere,
            env=env,
        )
        assert search.returncode == 0 and search.stdout.count("\n") == 3
        assert listing(installed) == before, "the app wrote inside its bundle"
    finally:
        make_writable(installed)

    # Portable mode (USB stick): a marker next to the executable keeps the data beside it.
    stick = tmp_path / "usb" / "carmm-desktop"
    shutil.move(str(installed), stick)
    (stick / "carmm-portable.txt").write_text("portable\n")
    added = subprocess.run(
        [str(stick / "carmm-desktop"), "notes", "add", "--text", "portable note"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=elsewhere,
        env=env,
    )
    assert added.returncode == 0, added.stderr
    assert (stick / "carmm-data" / "profiles" / "default" / "notes.sqlite").is_file()
    assert not (home / ".local" / "share" / "CARMM").exists()
