"""The packaged app: build the PyInstaller bundle, make a read-only copy, run its --smoke.

This is the product clinicians receive, so it is tested like they use it: no virtualenv on PATH,
no PYTHONPATH, a fresh HOME, another working directory, and a bundle folder nobody can write to.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

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


def run_bundle(executable: Path, *args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(executable), *args], capture_output=True, text=True, timeout=120, cwd=cwd, env=env)


def test_bundle_smoke_from_read_only_folder(shipped_db: Path, tmp_path: Path) -> None:
    from bench.startup import build

    build(tmp_path / "dist", env={"CARMM_BUNDLE_CONTENT_DB": str(shipped_db)})
    installed = tmp_path / "opt" / "carmm-desktop"
    shutil.copytree(tmp_path / "dist" / "carmm-desktop", installed, symlinks=True)
    make_read_only(installed)
    before = listing(installed)
    home = tmp_path / "bundle-home"
    home.mkdir()
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    try:
        smoke = run_bundle(installed / "carmm-desktop", "--smoke", cwd=elsewhere, env=env)
        assert smoke.returncode == 0, smoke.stdout + smoke.stderr
        assert "smoke test passed" in smoke.stdout and "icon rendered" in smoke.stdout
        search = run_bundle(installed / "carmm-desktop", "search", "BCMA", "--limit", "3", cwd=elsewhere, env=env)
        assert search.returncode == 0 and search.stdout.count("\n") == 3
        assert listing(installed) == before, "the app wrote inside its bundle"
    finally:
        make_writable(installed)

    # Portable mode (USB stick): a marker next to the executable keeps the data beside it.
    stick = tmp_path / "usb" / "carmm-desktop"
    shutil.move(str(installed), stick)
    (stick / "carmm-portable.txt").write_text("portable\n")
    added = run_bundle(stick / "carmm-desktop", "notes", "add", "--text", "portable note", cwd=elsewhere, env=env)
    assert added.returncode == 0, added.stderr
    assert (stick / "carmm-data" / "profiles" / "default" / "notes.sqlite").is_file()
    assert not (home / ".local" / "share" / "CARMM").exists()
