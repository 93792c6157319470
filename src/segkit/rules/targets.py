"""Targets 考核: split annual targets per manager and period, then track progress.

A branch's annual target is shared equally by its managers and spread over
the year by working days (Monday to Friday, less holidays, plus weekend
make-up days), so every level (quarter, month, week) sums back to the
annual target; ``day`` is the target of one working day ("每人每日") and
``to_date`` the target of the year up to the run's date (时间进度).
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable, Mapping

import pandas as pd

from segkit.config import Params, TargetParams
from segkit.errors import SegkitError
from segkit.rules.ranking import rank_progress

LEVELS = ["year", "quarter", "month", "week", "day"]
TARGET_COLUMNS = ["branch_id", "manager_id", "level", "period", "start", "end", "working_days", "target"]


def working_days(year: int, holidays: Iterable[dt.date] = (), extra_workdays: Iterable[dt.date] = ()) -> pd.DatetimeIndex:
    """The working days of ``year``: weekdays, less ``holidays``, plus ``extra_workdays``."""
    days = pd.date_range(dt.date(year, 1, 1), dt.date(year, 12, 31), freq="D")
    off = pd.DatetimeIndex(pd.to_datetime(list(holidays)))
    extra = pd.DatetimeIndex(pd.to_datetime(list(extra_workdays)))
    work = ((days.day_of_week < 5) & ~days.isin(off)) | days.isin(extra)
    return days[work]


def periods(
    year: int,
    holidays: Iterable[dt.date] = (),
    extra_workdays: Iterable[dt.date] = (),
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """Every period of the year with its working days and share of the year's.

    Weeks start on Monday and are numbered from the week holding 1 January
    (``2026-W01``); the first and last weeks may be partial. With ``as_of``
    in ``year``, a ``to_date`` row (``2026-YTD``) covers 1 January to ``as_of``.
    """
    days = working_days(year, holidays, extra_workdays)
    if len(days) == 0:
        raise SegkitError(f"targets: the calendar of {year} has no working days")
    all_days = pd.date_range(dt.date(year, 1, 1), dt.date(year, 12, 31), freq="D")
    week_start = all_days - pd.to_timedelta(all_days.day_of_week, unit="D")
    week_number = pd.factorize(week_start)[0] + 1
    calendar = pd.DataFrame(
        {
            "date": all_days,
            "working": all_days.isin(days),
            "year": str(year),
            "quarter": [f"{year}-Q{q}" for q in all_days.quarter],
            "month": all_days.strftime("%Y-%m"),
            "week": [f"{year}-W{w:02d}" for w in week_number],
        }
    )
    frames = []
    for level in LEVELS[:-1]:
        table = calendar.groupby(level, sort=True).agg(
            start=("date", "min"), end=("date", "max"), working_days=("working", "sum")
        )
        frames.append(table.reset_index(names="period").assign(level=level))
    frames.append(
        pd.DataFrame(
            {"period": [f"{year}-day"], "start": [all_days[0]], "end": [all_days[-1]], "working_days": [1], "level": ["day"]}
        )
    )
    if as_of is not None and as_of.year == year:
        frames.append(
            pd.DataFrame(
                {
                    "period": [f"{year}-YTD"],
                    "start": [all_days[0]],
                    "end": [pd.Timestamp(as_of)],
                    "working_days": [int((days <= pd.Timestamp(as_of)).sum())],
                    "level": ["to_date"],
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    table["start"] = table["start"].dt.date
    table["end"] = table["end"].dt.date
    table["working_days"] = table["working_days"].astype("int64")
    return table.assign(share=table["working_days"] / len(days))[["level", "period", "start", "end", "working_days", "share"]]


def _annual_table(annual: pd.DataFrame | Mapping[str, float]) -> pd.DataFrame:
    if isinstance(annual, Mapping):
        annual = pd.DataFrame({"branch_id": list(annual), "target": list(annual.values())})
    missing = [column for column in ("branch_id", "target") if column not in annual.columns]
    if missing:
        raise SegkitError(f"targets: the annual table needs columns {missing}")
    table = pd.DataFrame(
        {"branch_id": annual["branch_id"].astype("str"), "target": pd.to_numeric(annual["target"], errors="coerce")}
    )
    bad = table[table["target"].isna() | (table["target"] < 0)]
    if len(bad):
        raise SegkitError(
            f"targets: column 'target' must be a number >= 0 ({len(bad)} rows, e.g. branches {', '.join(bad['branch_id'].head(5))})"
        )
    duplicated = table["branch_id"][table["branch_id"].duplicated()]
    if len(duplicated):
        raise SegkitError(f"targets: branches listed twice: {', '.join(duplicated.unique()[:5])}")
    return table


def _manager_table(managers: pd.DataFrame | Mapping[str, Iterable[str]]) -> pd.DataFrame:
    if isinstance(managers, Mapping):
        rows = [(str(branch), str(manager)) for branch, names in managers.items() for manager in names]
        managers = pd.DataFrame(rows, columns=["branch_id", "manager_id"])
    return managers[["branch_id", "manager_id"]].astype("str").dropna().drop_duplicates()


def load_targets(params: TargetParams) -> pd.DataFrame:
    """The annual target of each branch (``branch_id``, ``target``) from the params or their CSV."""
    if params.path is not None and params.annual:
        raise SegkitError("targets: give either 'annual' or 'path', not both")
    if params.path is not None:
        if not params.path.is_file():
            raise SegkitError(f"targets: file not found: {params.path}")
        return _annual_table(pd.read_csv(params.path, dtype={"branch_id": "str"}))
    return _annual_table(dict(params.annual))


def split_targets(
    annual: pd.DataFrame | Mapping[str, float],
    managers: pd.DataFrame | Mapping[str, Iterable[str]],
    year: int,
    holidays: Iterable[dt.date] = (),
    extra_workdays: Iterable[dt.date] = (),
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """Split each branch's annual target per manager and per period.

    Parameters
    ----------
    annual : DataFrame or mapping
        ``branch_id`` and ``target`` columns, or ``{branch_id: target}``.
    managers : DataFrame or mapping
        ``branch_id`` and ``manager_id`` columns (e.g. ``BookAssignment.books``),
        or ``{branch_id: [manager_id, ...]}``.
    year : int
        The target year.
    holidays, extra_workdays : iterable of date
        Weekdays off, and weekend days worked.
    as_of : date, optional
        Adds the ``to_date`` level: the target from 1 January to ``as_of``.

    Returns
    -------
    DataFrame
        ``branch_id``, ``manager_id``, ``level`` (year, quarter, month, week,
        day, to_date), ``period``, ``start``, ``end``, ``working_days``,
        ``target``. A branch without managers keeps its target on rows with
        ``manager_id`` ``<NA>``. For each unit, the targets of the year,
        quarter, month and week levels each sum to the annual target;
        ``day`` × working days equals it.
    """
    targets = _annual_table(annual)
    roster = _manager_table(managers)
    units = targets.merge(roster, on="branch_id", how="left")
    per_branch = units.groupby("branch_id", sort=False)["manager_id"].transform("count").clip(lower=1)
    units = units.assign(target=units["target"] / per_branch).sort_values(["branch_id", "manager_id"], kind="stable")
    calendar = periods(year, holidays, extra_workdays, as_of)
    table = units.merge(calendar, how="cross")
    table = table.assign(target=table["target"] * table["share"], manager_id=table["manager_id"].astype("str"))
    return table[TARGET_COLUMNS].reset_index(drop=True)


def target_progress(
    targets: pd.DataFrame, actuals: pd.DataFrame, period: str | None = None, bottom_n: int = 5
) -> pd.DataFrame:
    """Actual against target for branches and managers, ranked, bottom ones flagged.

    Parameters
    ----------
    targets : DataFrame
        From :func:`split_targets` (``period`` picks the period, default the
        year), or a table of ``branch_id``, ``manager_id``, ``target``.
    actuals : DataFrame
        ``branch_id``, ``actual`` and, for the manager ranking, ``manager_id``,
        for the same period. Missing actuals count as 0.
    period : str, optional
        A period label of ``targets`` (e.g. ``"2026-Q1"``).
    bottom_n : int
        How many of each ranking to flag (at most half of it).

    Returns
    -------
    DataFrame
        ``level`` (branch | manager), ``branch_id``, ``manager_id``, ``target``,
        ``actual``, ``progress`` (actual / target), ``rank`` (1 = best) and
        ``bottom_five``; branches first, each ranking in rank order.
    """
    if "level" in targets.columns:
        chosen = targets[targets["period"] == period] if period is not None else targets[targets["level"] == "year"]
        if chosen.empty:
            raise SegkitError(f"targets: no rows for period {period!r}")
        targets = chosen
    missing = [column for column in ("branch_id", "actual") if column not in actuals.columns]
    if missing:
        raise SegkitError(f"target progress: actuals need columns {missing}")
    targets = targets.assign(branch_id=targets["branch_id"].astype("str"), manager_id=targets["manager_id"].astype("str"))
    actual = pd.to_numeric(actuals["actual"], errors="coerce")
    bad = actuals.loc[actual.isna() & actuals["actual"].notna(), "branch_id"].astype("str")
    if len(bad):
        raise SegkitError(
            f"target progress: column 'actual' must be a number ({len(bad)} rows, e.g. branches {', '.join(bad.head(5))})"
        )
    actuals = actuals.assign(branch_id=actuals["branch_id"].astype("str"), actual=actual.fillna(0.0))

    def progress(table: pd.DataFrame) -> pd.Series:
        return (table["actual"] / table["target"].where(table["target"] > 0)).astype("float64")

    branches = targets.groupby("branch_id", sort=True)["target"].sum().reset_index()
    branch_actual = actuals.groupby("branch_id", sort=True)["actual"].sum()
    branches = branches.assign(actual=branches["branch_id"].map(branch_actual).fillna(0.0).astype("float64"))
    branches = rank_progress(branches.assign(progress=progress(branches)), ["branch_id"], bottom_n)
    parts = [branches.assign(level="branch", manager_id=pd.Series(pd.NA, index=branches.index, dtype="str"))]

    managed = targets[targets["manager_id"].notna()]
    if "manager_id" in actuals.columns and len(managed):
        per_manager = (
            actuals.assign(manager_id=actuals["manager_id"].astype("str"))
            .groupby(["branch_id", "manager_id"], sort=True)["actual"]
            .sum()
        )
        managers = managed.groupby(["branch_id", "manager_id"], sort=True)["target"].sum().reset_index()
        key = pd.MultiIndex.from_frame(managers[["branch_id", "manager_id"]])
        managers = managers.assign(actual=per_manager.reindex(key).fillna(0.0).to_numpy(dtype="float64"))
        managers = rank_progress(managers.assign(progress=progress(managers)), ["branch_id", "manager_id"], bottom_n)
        parts.append(managers.assign(level="manager"))
    parts = [part.sort_values(["rank", "branch_id", "manager_id"], kind="stable") for part in parts]
    table = pd.concat(parts, ignore_index=True)
    return table[["level", "branch_id", "manager_id", "target", "actual", "progress", "rank", "bottom_five"]].reset_index(drop=True)


def measured_actuals(customers: pd.DataFrame, measure: str) -> pd.DataFrame:
    """What each manager's book achieved, measured on the snapshot.

    Parameters
    ----------
    customers : DataFrame
        Assigned customers (whole branches): ``branch_id``, ``manager_id``,
        ``aum`` and ``aum_prev``.
    measure : {"aum_growth"}
        ``aum_growth``: net new assets, ``aum - aum_prev`` (a missing
        ``aum_prev`` counts as 0: the account is new).

    Returns
    -------
    DataFrame
        ``branch_id``, ``manager_id`` (``<NA>`` for unassigned customers, who
        count for their branch only) and ``actual``. Tables of disjoint
        branches concatenate. Empty without ``aum_prev``.
    """
    if measure != "aum_growth":
        raise SegkitError(f"targets.measure: unknown measure {measure!r} (known: aum_growth)")
    if "aum_prev" not in customers.columns:
        return pd.DataFrame(columns=["branch_id", "manager_id", "actual"])
    growth = customers["aum"].astype("float64") - customers["aum_prev"].astype("float64").fillna(0.0)
    keys = customers[["branch_id", "manager_id"]].astype("str").assign(actual=growth)
    return keys.groupby(["branch_id", "manager_id"], sort=True, dropna=False)["actual"].sum().reset_index()


def _quarter(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def progress_period(settings: TargetParams, as_of: dt.date) -> str:
    """The period progress is measured over: ``settings.period``, else the quarter of ``as_of``
    for a measure (``aum_prev`` is the previous quarter) or the year to ``as_of`` for an actuals CSV."""
    if settings.period:
        return settings.period
    return _quarter(as_of) if settings.measure else f"{as_of.year}-YTD"


def _actuals(settings: TargetParams, measured: pd.DataFrame | None) -> pd.DataFrame | None:
    if settings.actuals is not None:
        if not settings.actuals.is_file():
            raise SegkitError(f"targets.actuals: file not found: {settings.actuals}")
        return pd.read_csv(settings.actuals, dtype={"branch_id": "str", "manager_id": "str"})
    return measured if settings.measure is not None else None


def target_tables(params: Params, managers: pd.DataFrame, measured: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The target tables of a run.

    Parameters
    ----------
    params : Params
        ``targets`` (annual targets, calendar, actuals or measure,
        period) and ``as_of``.
    managers : DataFrame
        ``branch_id`` and ``manager_id`` of every book (``BookAssignment.books``).
    measured : DataFrame, optional
        :func:`measured_actuals` of every branch (with ``measure``).

    Returns
    -------
    dict of DataFrame
        ``targets``: :func:`split_targets` for the year of ``as_of``, with its
        ``to_date`` level, for the branches in ``managers`` (a target of a
        branch without customers is left out with a warning); with actuals,
        ``target_progress``: :func:`target_progress` for ``period`` (default
        ``<year>-YTD`` for an actuals CSV, the quarter of ``as_of`` for a
        measure). Empty when no annual target is set.
    """
    settings = params.targets
    annual = load_targets(settings)
    if annual.empty:
        return {}
    known = annual["branch_id"].isin(managers["branch_id"].astype("str"))
    if not known.all():
        absent = annual.loc[~known, "branch_id"]
        warnings.warn(f"targets: {len(absent)} branch(es) with a target have no customers and are left out: "
                      f"{', '.join(absent.head(5))}", UserWarning, stacklevel=2)
        annual = annual[known]
    year = params.as_of.year
    table = split_targets(annual, managers, year, settings.holidays, settings.extra_workdays, as_of=params.as_of)
    tables = {"targets": table}
    actuals = _actuals(settings, measured)
    if actuals is not None:
        period = progress_period(settings, params.as_of)
        tables["target_progress"] = target_progress(table, actuals, period=period, bottom_n=settings.bottom_n)
    return tables
