"""Score the bank once, then report every branch.

:func:`score` reads and validates the input, applies the rules, assigns books,
fits the segmenter and the churn scorer, and writes a scored folder
(:mod:`segkit.scored`). :func:`run` is the main job: it scores into a new run
folder and executes one report per branch from it.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from segkit.config import Params
from segkit.errors import SegkitError
from segkit.fileio import new_folder, sha256_path
from segkit.scored import Scored, write_customers, write_json, write_parquet

__all__ = ["Scored", "ScoreResult", "score", "score_frame", "run"]


@dataclass
class ScoredBank:
    """Everything computed from one snapshot, before it is written."""

    customers: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    models: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoreResult:
    """Where a scored folder was written and what it holds."""

    out: Path
    rows: int
    branches: int

    def summary(self) -> str:
        """One line for the command line."""
        return f"scored {self.rows:,} customers in {self.branches} branches into {self.out}"


def input_path(params: Params, data: str | os.PathLike[str] | None) -> Path:
    """Return the input path: ``data`` if given, else the params' ``data.path``."""
    path = Path(data) if data is not None else params.data.path
    if path is None:
        raise SegkitError("no input data: pass --data PATH or set data.path in the params file")
    return Path(path).resolve()


def score_frame(customers: pd.DataFrame, params: Params) -> ScoredBank:
    """Apply every rule and model to a validated canonical table.

    Parameters
    ----------
    customers : DataFrame
        The canonical customer table, already validated.
    params : Params
        The run parameters.

    Returns
    -------
    ScoredBank
        The scored customers plus bank-level tables, fitted models and metrics.
    """
    from segkit import churn, cluster, rules

    bank = ScoredBank(customers=customers.reset_index(drop=True))
    bank.customers = pd.concat([bank.customers, rules.apply_rules(bank.customers, params)], axis=1)

    books = rules.assign_books(bank.customers, params)
    bank.customers = bank.customers.assign(manager_id=books.manager_id, assignment=books.assignment)
    bank.tables.update(books=books.books, branch_capacity=books.branches, red_list=books.red_list)
    if "aum_prev" in bank.customers:
        bank.tables["migration"] = rules.migration_matrix(bank.customers, params.schemes.tier)

    segmenter = cluster.fit_segmenter(bank.customers, params.cluster, seed=params.seed)
    labels = segmenter.predict(bank.customers)
    bank.customers = bank.customers.assign(
        cluster=labels, cluster_name=pd.Series(labels).map(segmenter.names_).astype("str")
    )
    bank.models["segmenter"] = segmenter
    bank.tables["k_table"] = segmenter.k_table_
    bank.tables["cluster_profiles"] = segmenter.profile(bank.customers, labels)
    bank.metrics["cluster"] = segmenter.metrics()

    features = list(params.data.mapping.features)
    scorer = churn.fit_churn(bank.customers, params.churn, seed=params.seed, features=features)
    bank.customers = pd.concat([bank.customers, scorer.score(bank.customers)], axis=1)
    bank.models["churn"] = scorer
    bank.metrics["churn"] = churn.evaluate(bank.customers, params.churn, seed=params.seed, features=features)
    return bank


def write_scored(folder: Path, bank: ScoredBank, params: Params, source: Path) -> pd.DataFrame:
    """Write a :class:`ScoredBank` into ``folder`` (see :mod:`segkit.scored`)."""
    from segkit.persist import save_model

    branches = write_customers(folder, bank.customers)
    write_json(folder / "branches.json", branches.to_dict(orient="records"))
    for name, table in sorted(bank.tables.items()):
        write_parquet(folder / "tables" / f"{name}.parquet", table)
    for name, model in sorted(bank.models.items()):
        save_model(model, folder / "models" / f"{name}.skops")
    write_json(folder / "metrics.json", bank.metrics)
    write_json(folder / "params.json", params.model_dump(mode="json"))
    write_json(
        folder / "input.json",
        {"path": str(source), "sha256": sha256_path(source), "rows": len(bank.customers)},
    )
    return branches


def score(
    params: Params,
    data: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] = "scored",
    engine: str = "pandas",
    scheduler: str | None = None,
) -> ScoreResult:
    """Score the whole bank once and write a new scored folder.

    Parameters
    ----------
    params : Params
        The run parameters.
    data : path, optional
        The bank's export (CSV, Parquet, or a folder of Parquet files);
        defaults to ``params.data.path``.
    out : path
        A new folder; an existing non-empty folder is refused.
    engine : {"pandas", "dask"}
        Where the row-wise steps run.
    scheduler : str, optional
        Address of a running Dask scheduler (``engine="dask"`` only).

    Returns
    -------
    ScoreResult
    """
    from segkit.data.io import load_customers

    source = input_path(params, data)
    with new_folder(out) as stage:
        if engine == "dask":
            from segkit.engine import score_dask

            bank = score_dask(source, params, scheduler=scheduler)
        else:
            bank = score_frame(load_customers(source, params.data.mapping), params)
        branches = write_scored(stage, bank, params, source)
    return ScoreResult(out=Path(out), rows=len(bank.customers), branches=len(branches))


@dataclass(frozen=True)
class RunOutcome:
    """The result of :func:`run`: the run folder and the report outcome."""

    run_dir: Path
    scored: ScoreResult
    report: Any

    @property
    def ok(self) -> bool:
        """Whether every report was published."""
        return bool(self.report.ok)

    def summary(self) -> str:
        """A few lines for the command line."""
        return f"{self.scored.summary()}\n{self.report.summary()}\nrun folder: {self.run_dir}"


def new_run_id(now: dt.datetime | None = None) -> str:
    """Return a run id that sorts by time: ``YYYYMMDDTHHMMSSZ-<pid>``."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{os.getpid()}"


def run(
    params: Params,
    data: str | os.PathLike[str] | None = None,
    reports: str | os.PathLike[str] = "reports",
    workers: int | None = None,
    engine: str = "pandas",
) -> RunOutcome:
    """The main job: validate, score once, and publish one report per branch.

    Writes ``<reports>/<as_of>/<run_id>/`` with the scored folder in
    ``scored/`` and the reports, index and manifest beside it.
    """
    from segkit.report.batch import report

    run_dir = Path(reports) / params.as_of.isoformat() / new_run_id()
    scored = score(params, data=data, out=run_dir / "scored", engine=engine)
    outcome = report(scored=run_dir / "scored", out=run_dir, branches=None, workers=workers, scheduler=None)
    return RunOutcome(run_dir=run_dir, scored=scored, report=outcome)
