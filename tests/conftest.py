"""Shared fixtures. Every test runs offscreen, with HOME and XDG folders redirected to tmp_path,
so no test can read or write a real user's settings or data."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import shutil
import textwrap
from pathlib import Path

import pytest

from carmm_desktop.content.compile import build_database
from carmm_desktop.content.repository import ContentRepository

REPO_ROOT = Path(__file__).resolve().parent.parent
CONTENT_SOURCES = REPO_ROOT / "db" / "content"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.delenv("CARMM_CONTENT_DB", raising=False)
    return home


@pytest.fixture(scope="session")
def shipped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real corpus (db/content) compiled once per test session."""
    out = tmp_path_factory.mktemp("shipped") / "content.sqlite"
    build_database(CONTENT_SOURCES, out)
    return out


@pytest.fixture
def repository(shipped_db: Path):
    repo = ContentRepository(shipped_db)
    yield repo
    repo.close()


def entry_text(
    entry_id: str = "bcma",
    kind: str = "antigen",
    *,
    title: str | None = None,
    aliases: list[str] | None = None,
    status: str = "approved",
    extra: str = "",
    references: str | None = None,
    body: str = "A body citing a figure of 50% [@ref1].",
    last_reviewed: str | None = "2026-11-24",
) -> str:
    """A valid source file, with any part replaceable to break one rule at a time."""
    title = title or f"Title of {entry_id}"
    aliases_line = f"aliases = {aliases!r}".replace("'", '"') if aliases is not None else ""
    reviewed = f"last_reviewed = {last_reviewed}" if last_reviewed else ""
    if references is None:
        references = textwrap.dedent(
            """
            [[references]]
            key = "ref1"
            citation = "Author A, et al. Journal. 2024;1:1-2."
            pmid = "12345678"
            """
        )
    return (
        "+++\n"
        f'id = "{entry_id}"\nkind = "{kind}"\ntitle = "{title}"\n{aliases_line}\n'
        f'summary = "Summary of {entry_id}."\nstatus = "{status}"\n{reviewed}\n'
        f"{extra}\n{references}\n+++\n{body}\n"
    )


def write_entry(root: Path, text: str, kind: str, entry_id: str) -> Path:
    folder = root / kind
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{entry_id}.md"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """A small valid corpus (two entries linked by a relation) for compiler and CLI tests."""
    root = tmp_path / "content"
    write_entry(root, entry_text("bcma", aliases=["TNFRSF17", "CD269"]), "antigen", "bcma")
    product = entry_text(
        "demo-cel",
        "product",
        title="Democabtagene autoleucel",
        aliases=["demo-cel", "4-1BB demo"],
        status="investigational",
        extra='[attributes]\ntarget = "BCMA"\norr = "50% [@ref1]"\n\n[[relations]]\ntype = "targets"\nto = "bcma"\n',
    )
    write_entry(root, product, "product", "demo-cel")
    return root


@pytest.fixture
def copy_corpus(tmp_path: Path) -> Path:
    """A writable copy of the real sources, for tests that change them."""
    target = tmp_path / "content-copy"
    shutil.copytree(CONTENT_SOURCES, target)
    return target


@pytest.fixture
def tiny_db(tiny_corpus: Path, tmp_path: Path) -> Path:
    return build_database(tiny_corpus, tmp_path / "db.sqlite").path


def open_window(qtbot, profile: Path, *, db: Path | None = None, repository=None):
    """A shown main window on its own profile folder (closed by the fixtures below)."""
    from carmm_desktop.ui import create_main_window

    window = create_main_window(profile, content_db=db, repository=repository)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    # Started as a user finds it a moment later: the notes DB open and the icons drawn.
    qtbot.waitUntil(lambda: window.store_reported and window.icons_ready)
    return window


def close_window(window) -> None:
    window.close()
    window.store.close()


@pytest.fixture
def tiny_window(qtbot, tiny_db: Path, tmp_path: Path):
    window = open_window(qtbot, tmp_path / "profile", db=tiny_db)
    yield window
    close_window(window)


@pytest.fixture
def shipped_window(qtbot, shipped_db: Path, tmp_path: Path):
    window = open_window(qtbot, tmp_path / "profile", db=shipped_db)
    yield window
    close_window(window)
