"""Errors the app reports to people as one clear line (no traceback)."""

from __future__ import annotations


class CarmmError(Exception):
    """Base for every error with a message meant for the user."""


class ContentError(CarmmError):
    """A content source file breaks a rule; the message names the file."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.detail = message


class ContentValidationError(CarmmError):
    """One or more source files are invalid; holds every problem found, not just the first."""

    def __init__(self, problems: list[ContentError]) -> None:
        self.problems = problems
        lines = [str(problem) for problem in problems]
        noun = "problem" if len(lines) == 1 else "problems"
        super().__init__(f"{len(lines)} content {noun}:\n" + "\n".join(f"  {line}" for line in lines))


class ContentDatabaseError(CarmmError):
    """The compiled content database is missing, unreadable or not ours."""


class EntryNotFoundError(CarmmError):
    """An entry id that does not exist was asked for."""


class UserDataError(CarmmError):
    """A user-data operation failed; the message says what and what to do."""
