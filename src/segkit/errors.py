"""Errors that describe a user's mistake rather than a bug in segkit.

The command line turns every :class:`SegkitError` into a readable message and
exit code 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class SegkitError(Exception):
    """Base class for problems with the user's data, parameters or paths."""


class ParamsError(SegkitError):
    """A params file (or a file it includes) is missing or invalid."""


@dataclass(frozen=True)
class Problem:
    """One failed check on the input data.

    Parameters
    ----------
    column : str
        The column the check is about (``"<table>"`` for whole-table checks).
    rule : str
        What the data should satisfy, in words.
    n_rows : int
        How many rows break the rule.
    examples : tuple of str
        A few ``customer_id`` values (or row numbers) that break it.
    """

    column: str
    rule: str
    n_rows: int = 0
    examples: tuple[str, ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        text = f"column '{self.column}': {self.rule}"
        if self.n_rows:
            text += f" ({self.n_rows:,} row{'s' if self.n_rows != 1 else ''}"
            if self.examples:
                text += f", e.g. {', '.join(self.examples)}"
            text += ")"
        return text


class DataValidationError(SegkitError):
    """The input table breaks the data contract; lists every problem at once."""

    def __init__(self, problems: list[Problem], source: str = "input") -> None:
        self.problems = list(problems)
        self.source = source
        lines = [f"{source}: {len(self.problems)} problem(s) found"]
        lines += [f"  - {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))
