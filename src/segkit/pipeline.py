"""Score the bank once, then report every branch.

:func:`score` reads and validates the input, applies the rules, assigns books,
fits the segmenter and the churn scorer, and writes a scored folder
(:mod:`segkit.scored`). :func:`run` is the main job: it scores into a new run
folder and executes one report per branch from it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from segkit.config import Params
from segkit.errors import SegkitError
from segkit.fileio import new_folder, sha256_path
from segkit.engine import ScoredBank, score_frame, score_streaming
from segkit.scored import Scored, write_json, write_parquet
from segkit.stages import Models

__all__ = ["Scored", "ScoredBank", "ScoreResult", "score", "score_frame", "run"]


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


def write_metadata(
    folder: Path, branches: pd.DataFrame, models: Models, tables: dict[str, pd.DataFrame], params: Params, source: Path, rows: int
) -> None:
    """Write everything but the customers into a scored folder (see :mod:`segkit.scored`)."""
    from segkit.churn import model_card
    from segkit.persist import save_model
    from segkit.report.summary import write_bank_summary

    write_json(folder / "branches.json", branches.to_dict(orient="records"))
    write_bank_summary(Scored(folder))
    for name, table in sorted(tables.items()):
        write_parquet(folder / "tables" / f"{name}.parquet", table)
    save_model(models.segmenter, folder / "models" / "segmenter.skops")
    save_model(models.churn, folder / "models" / "churn.skops")
    write_json(folder / "models" / "churn_card.json", model_card(models.churn, params.as_of, models.metrics.get("churn")))
    write_json(folder / "metrics.json", models.metrics)
    write_json(folder / "params.json", params.model_dump(mode="json"))
    write_json(folder / "input.json", {"path": str(source), "sha256": sha256_path(source), "rows": rows})


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
    source = input_path(params, data)
    if not source.exists():
        raise SegkitError(f"{source}: no such file or folder")
    with new_folder(out) as stage:
        if engine == "dask":
            from segkit.dask_engine import score_dask

            branches, models, tables = score_dask(source, params, stage, scheduler=scheduler)
        else:
            branches, models, tables = score_streaming(source, params, stage)
        rows = int(branches["customers"].sum())
        write_metadata(stage, branches, models, tables, params, source, rows)
    return ScoreResult(out=Path(out), rows=rows, branches=len(branches))


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

    day = Path(reports) / params.as_of.isoformat()
    run_id = new_run_id()
    run_dir = day / run_id
    for number in itertools.count(2):
        if not run_dir.exists():
            break
        run_dir = day / f"{run_id}-{number}"
    try:
        scored = score(params, data=data, out=run_dir / "scored", engine=engine)
    except BaseException:
        for folder in (run_dir, day):  # created for this run and still empty
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    outcome = report(scored=run_dir / "scored", out=run_dir, branches=None, workers=workers, scheduler=None)
    return RunOutcome(run_dir=run_dir, scored=scored, report=outcome)
