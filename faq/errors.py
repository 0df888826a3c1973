"""Errors shared by the FAQ and flow loaders."""
from __future__ import annotations


class DataFileError(ValueError):
    """A data file is unusable; ``problems`` lists every reason found."""

    def __init__(self, problems: list[str], path: str | None = None):
        self.problems = list(problems)
        where = f" in {path}" if path else ""
        super().__init__(f"{len(problems)} problem(s){where}:\n  - " + "\n  - ".join(problems))
