"""The scored folder: the bank scored once, read by every report.

Layout::

    <scored>/customers/branch_part=<slug>/part-0.parquet   one partition per branch
    <scored>/tables/<name>.parquet                         bank-level tables
    <scored>/models/segmenter.skops, churn.skops, churn_card.json
    <scored>/branches.json   branch_id, slug and customer count of every branch
    <scored>/bank_summary.json  bank-wide counts and sums the branch reports compare with
    <scored>/metrics.json    data, cluster and churn metrics
    <scored>/params.json     the resolved params of the run
    <scored>/input.json      the input's path, sha256 and row count

A branch report reads only its own partition (:meth:`Scored.customers`), so it
cannot see another branch's customers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from segkit.config import Params
from segkit.errors import SegkitError
from segkit.fileio import atomic_path, write_text
from segkit.paths import branch_slug

CUSTOMERS = "customers"
PARTITION = "branch_part"


def write_json(path: Path, payload: Any) -> None:
    """Write ``payload`` as stable, human-readable JSON (sorted keys)."""
    write_text(path, json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")


def write_parquet(path: Path, frame: pd.DataFrame) -> None:
    """Write ``frame`` to Parquet atomically.

    A named index (a matrix's row labels) becomes the first column; an
    unnamed one is dropped.
    """
    if any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)


def write_customers(folder: Path, customers: pd.DataFrame) -> pd.DataFrame:
    """Write the scored table as one Parquet partition per branch.

    Rows are sorted by ``customer_id`` inside each partition so the bytes are
    the same on every run. Returns the branch table written to ``branches.json``.
    """
    rows = []
    for branch_id, part in customers.groupby("branch_id", sort=True, observed=True):
        slug = branch_slug(branch_id)
        part = part.sort_values("customer_id", kind="stable")
        write_parquet(folder / CUSTOMERS / f"{PARTITION}={slug}" / "part-0.parquet", part)
        rows.append({"branch_id": str(branch_id), "slug": slug, "customers": len(part)})
    return pd.DataFrame(rows, columns=["branch_id", "slug", "customers"])


@dataclass(frozen=True)
class Scored:
    """Read access to a scored folder.

    Parameters
    ----------
    path : Path
        The folder written by :func:`segkit.pipeline.score`.
    """

    path: Path

    @classmethod
    def open(cls, path: str | Path) -> Scored:
        """Open a scored folder, checking that it is one."""
        folder = Path(path).resolve()
        if not (folder / "branches.json").is_file():
            raise SegkitError(f"{folder} is not a scored folder (no branches.json); run `segkit score` first")
        return cls(folder)

    def _json(self, name: str) -> Any:
        return json.loads((self.path / name).read_text(encoding="utf-8"))

    @cached_property
    def branches(self) -> pd.DataFrame:
        """Every branch: ``branch_id``, ``slug`` and ``customers``."""
        return pd.DataFrame(self._json("branches.json"), columns=["branch_id", "slug", "customers"])

    @cached_property
    def metrics(self) -> dict[str, Any]:
        """Data, cluster and churn metrics of the run."""
        return self._json("metrics.json")

    @cached_property
    def input(self) -> dict[str, Any]:
        """The input's path, sha256 and row count."""
        return self._json("input.json")

    @cached_property
    def params(self) -> Params:
        """The resolved params the folder was scored with."""
        return Params.model_validate(self._json("params.json"))

    def slug(self, branch_id: str) -> str:
        """Return the partition slug of ``branch_id``, or raise if unknown."""
        match = self.branches.loc[self.branches["branch_id"] == str(branch_id), "slug"]
        if match.empty:
            known = ", ".join(self.branches["branch_id"].head(10))
            raise SegkitError(f"unknown branch_id {branch_id!r}; known: {known}")
        return str(match.iloc[0])

    def customers(self, branch_id: str | None = None, columns: list[str] | None = None) -> pd.DataFrame:
        """Return the scored customers of one branch, or of the whole bank.

        With ``branch_id`` only that branch's partition is read.
        """
        root = self.path / CUSTOMERS
        if branch_id is not None:
            return pd.read_parquet(root / f"{PARTITION}={self.slug(branch_id)}", columns=columns)
        frame = pd.read_parquet(root, columns=columns)
        return frame.drop(columns=PARTITION, errors="ignore")

    def table(self, name: str) -> pd.DataFrame:
        """Return a bank-level table (``tables/<name>.parquet``)."""
        path = self.path / "tables" / f"{name}.parquet"
        if not path.is_file():
            raise SegkitError(f"{self.path}: no table named {name!r}")
        return pd.read_parquet(path)

    def has_table(self, name: str) -> bool:
        """Whether the bank-level table ``name`` was written."""
        return (self.path / "tables" / f"{name}.parquet").is_file()
