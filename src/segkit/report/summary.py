"""Bank-wide figures, added up once per scored folder.

Every branch report shows its KPIs, pyramid and clusters against the bank's,
and the bank report shows the bank and every branch's key figures. Reading
the whole bank for each of them would repeat the same work once per report
and hold every customer in memory, so :func:`summarise` adds up counts and
sums one branch partition at a time (memory bounded by the largest branch)
and :func:`segkit.pipeline.score` stores them as ``bank_summary.json`` in the
scored folder. :func:`bank_summary` reads that file, or computes the same
figures when a scored folder predates it.

The summary holds only counts and sums: no identities. A branch report uses
only its bank-wide part (:meth:`BankSummary.reference`, :meth:`~BankSummary.tier_counts`,
:meth:`~BankSummary.cluster_shares`); the per-branch rows are for the bank report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

FILE = "bank_summary.json"
FORMAT = 2
"""Version of the file's layout; a file of another version is recomputed, not read."""
KPI_COLUMNS = ["aum", "aum_prev", "asset_level", "churn_band", "value_at_risk", "manager_id", "has_contact",
               "card_state"]
CLUSTER_COLUMNS = ("cluster_name", "cluster_name_zh")
COLUMNS = ["branch_id", "tier", *KPI_COLUMNS, "churn_score", *CLUSTER_COLUMNS]
CLASS_PREFIX = "class_"


def _count(mask: pd.Series) -> int:
    return int(mask.fillna(False).astype(bool).sum())


def kpi_totals(customers: pd.DataFrame) -> dict[str, float | int]:
    """Additive headline figures of a set of customers: counts and sums, never means.

    Keys: ``customers``, ``aum_total`` and, when the data has the columns,
    ``aum_prev_total``, ``high_value``, ``churn_high``, ``value_at_risk``,
    ``unassigned``, ``red_list`` and ``inactive_cards``. Totals of disjoint
    sets of customers add up (see :func:`kpis_from_totals`).
    """
    totals: dict[str, float | int] = {"customers": len(customers),
                                      "aum_total": float(customers["aum"].astype(float).sum())}
    if "aum_prev" in customers:
        totals["aum_prev_total"] = float(customers["aum_prev"].astype(float).sum())
    if "asset_level" in customers:
        totals["high_value"] = _count(customers["asset_level"].astype("str") == "high")
    if "churn_band" in customers:
        totals["churn_high"] = _count(customers["churn_band"].astype("str") == "high")
    if "value_at_risk" in customers:
        totals["value_at_risk"] = float(customers["value_at_risk"].astype(float).sum())
    if "manager_id" in customers:
        totals["unassigned"] = int(customers["manager_id"].isna().sum())
    if "has_contact" in customers:
        totals["red_list"] = _count(~customers["has_contact"].astype("boolean").fillna(False))
    if "card_state" in customers:
        totals["inactive_cards"] = _count(customers["card_state"].astype("str") == "card_inactive")
    return totals


def kpis_from_totals(totals: dict[str, float | int]) -> dict[str, float | int]:
    """Headline figures (see :func:`segkit.report.views.branch_kpis`) from :func:`kpi_totals`."""
    n = int(totals["customers"])
    aum = float(totals["aum_total"])
    kpis: dict[str, float | int] = {"customers": n, "aum_total": aum, "aum_mean": aum / n if n else 0.0}
    if "aum_prev_total" in totals:
        previous = float(totals["aum_prev_total"])
        kpis["aum_change"] = aum / previous - 1 if previous else 0.0
    for key in ("high_value", "churn_high", "value_at_risk", "unassigned", "red_list", "inactive_cards"):
        if key in totals:
            kpis[key] = totals[key]
    return kpis


def _group_totals(customers: pd.DataFrame, by: str, sums: list[str]) -> pd.DataFrame:
    keys = customers[by].astype("str")
    present = [column for column in sums if column in customers]
    grouped = customers[present].astype(float).groupby(keys, observed=True, sort=True)
    table = grouped.sum()
    table.insert(0, "customers", grouped.size().astype("int64"))
    table.index.name = by
    return table


def _class_totals(customers: pd.DataFrame) -> pd.DataFrame:
    """Per product class (multi-label): members and their AUM."""
    codes = [column.removeprefix(CLASS_PREFIX) for column in customers.columns if column.startswith(CLASS_PREFIX)]
    aum = customers["aum"].astype(float)
    rows = {}
    for code in codes:
        member = customers[f"{CLASS_PREFIX}{code}"].astype("boolean").fillna(False).astype(bool)
        rows[code] = {"customers": int(member.sum()), "aum": float(aum[member].sum())}
    return pd.DataFrame.from_dict(rows, orient="index", columns=["customers", "aum"]).rename_axis("class")


def _add(total: pd.DataFrame | None, part: pd.DataFrame) -> pd.DataFrame:
    if total is None:
        return part
    added = total.add(part, fill_value=0).sort_index()
    return added.astype({"customers": "int64"})


def _rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [{table.index.name: str(key), **{k: (int(v) if k == "customers" else float(v)) for k, v in row.items()}}
            for key, row in table.iterrows()]


def _frame(rows: list[dict[str, Any]], key: str) -> pd.DataFrame:
    table = pd.DataFrame(rows).set_index(key) if rows else pd.DataFrame(columns=["customers"]).rename_axis(key)
    table.index = table.index.astype("str")
    columns = ["customers", *sorted(c for c in table.columns if c != "customers")]
    return table[columns].astype({c: ("int64" if c == "customers" else "float64") for c in columns})


@dataclass(frozen=True)
class BankSummary:
    """Counts and sums over every customer of the bank.

    Attributes
    ----------
    totals : dict
        :func:`kpi_totals` of the whole bank.
    branch_totals : dict of str to dict
        :func:`kpi_totals` of each branch, by branch id.
    tiers : DataFrame
        Per tier code: ``customers`` and ``aum`` (sum).
    classes : DataFrame
        Per product class code: ``customers`` (members) and ``aum`` (their sum).
    clusters : dict of DataFrame
        Per cluster-name column (``cluster_name``, ``cluster_name_zh``), per
        name: ``customers``, ``aum`` (sum) and ``churn_score`` (sum).
    """

    totals: dict[str, float | int]
    branch_totals: dict[str, dict[str, float | int]]
    tiers: pd.DataFrame
    classes: pd.DataFrame
    clusters: dict[str, pd.DataFrame]

    @property
    def branches(self) -> int:
        """Number of branches."""
        return len(self.branch_totals)

    def reference(self) -> dict[str, float]:
        """The figures a branch compares with: the average branch's counts and sums, the bank's means and change."""
        n = max(self.branches, 1)
        kpis = kpis_from_totals(self.totals)
        return {key: (value if key in {"aum_mean", "aum_change"} else value / n) for key, value in kpis.items()}

    def branch_kpis(self) -> pd.DataFrame:
        """Every branch's headline figures (:func:`kpis_from_totals`), by branch id."""
        rows = [{"branch_id": branch, **kpis_from_totals(totals)} for branch, totals in self.branch_totals.items()]
        return pd.DataFrame(rows)

    def tier_counts(self, codes: list[str]) -> pd.DataFrame:
        """Customers and AUM per tier code, like :func:`segkit.report.views.tier_counts`."""
        table = self.tiers.reindex(list(codes), fill_value=0)
        return pd.DataFrame({"customers": table["customers"].astype("int64"), "aum": table["aum"].astype(float)})

    def class_summary(self, labels: dict[str, str]) -> pd.DataFrame:
        """Customers, share and AUM per product class, like :func:`segkit.report.views.class_summary`."""
        n = max(int(self.totals["customers"]), 1)
        codes = [code for code in labels if code in self.classes.index] or list(self.classes.index)
        rows = [{"class": labels.get(code, code), "customers": int(self.classes.at[code, "customers"]),
                 "share": float(self.classes.at[code, "customers"] / n), "aum": float(self.classes.at[code, "aum"])}
                for code in codes]
        return pd.DataFrame(rows, columns=["class", "customers", "share", "aum"])

    def cluster_shares(self, language: str) -> pd.DataFrame:
        """Customers, share, mean AUM and mean churn risk per cluster, like :func:`segkit.report.views.cluster_shares`.

        Cluster names are Chinese for ``language="zh"`` when the data has them.
        """
        column = "cluster_name_zh" if language == "zh" and "cluster_name_zh" in self.clusters else "cluster_name"
        if column not in self.clusters:
            return pd.DataFrame()
        table = self.clusters[column]
        shares = pd.DataFrame({"customers": table["customers"], "aum_mean": table["aum"] / table["customers"]},
                              index=table.index)
        if "churn_score" in table:
            shares["churn_mean"] = table["churn_score"] / table["customers"]
        shares["share"] = shares["customers"] / max(int(self.totals["customers"]), 1)
        shares.index.name = "cluster_name"
        return shares

    def to_json(self) -> str:
        """Stable JSON text (floats round-trip exactly)."""
        payload = {"format": FORMAT, "totals": self.totals, "branch_totals": self.branch_totals, "tiers": _rows(self.tiers),
                   "classes": _rows(self.classes),
                   "clusters": {column: _rows(table) for column, table in self.clusters.items()}}
        return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> BankSummary:
        """Read :meth:`to_json` text."""
        return cls.from_payload(json.loads(text))

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> BankSummary:
        """Read the parsed :meth:`to_json` text."""
        return cls(totals=payload["totals"], branch_totals=payload["branch_totals"],
                   tiers=_frame(payload["tiers"], "tier"), classes=_frame(payload["classes"], "class"),
                   clusters={column: _frame(rows, column) for column, rows in payload["clusters"].items()})


def summarise(scored: Any) -> BankSummary:
    """Add up the bank summary of a scored folder, one branch partition at a time."""
    import pyarrow.parquet as pq

    from segkit.scored import CUSTOMERS, PARTITION

    partitions = sorted((scored.path / CUSTOMERS).glob(f"{PARTITION}=*"))
    first = next((file for folder in partitions for file in sorted(folder.glob("*.parquet"))), None)
    present = pq.read_schema(first).names if first is not None else []
    columns = [column for column in present if column in COLUMNS or column.startswith(CLASS_PREFIX)]
    totals: dict[str, float | int] = {"customers": 0, "aum_total": 0.0}
    branch_totals: dict[str, dict[str, float | int]] = {}
    tiers: pd.DataFrame | None = None
    classes: pd.DataFrame | None = None
    clusters: dict[str, pd.DataFrame | None] = {column: None for column in CLUSTER_COLUMNS if column in columns}
    for folder in partitions:
        part = pd.read_parquet(folder, columns=columns)
        branch = kpi_totals(part)
        branch_totals[str(part["branch_id"].iloc[0])] = branch
        for key, value in branch.items():
            totals[key] = totals.get(key, 0) + value
        if "tier" in part:
            tiers = _add(tiers, _group_totals(part, "tier", ["aum"]))
        classes = _add(classes, _class_totals(part))
        for column in clusters:
            clusters[column] = _add(clusters[column], _group_totals(part, column, ["aum", "churn_score"]))
    empty = pd.DataFrame({"customers": pd.Series(dtype="int64"), "aum": pd.Series(dtype="float64")})
    return BankSummary(
        totals=totals,
        branch_totals=dict(sorted(branch_totals.items())),
        tiers=tiers if tiers is not None else empty.rename_axis("tier"),
        classes=classes if classes is not None else empty.rename_axis("class"),
        clusters={column: table for column, table in clusters.items() if table is not None},
    )


def bank_summary(scored: Any) -> BankSummary:
    """The bank summary of a scored folder: its ``bank_summary.json``, else (absent or of an older format) computed."""
    path = scored.path / FILE
    if path.is_file():
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("format") == FORMAT:
            return BankSummary.from_payload(payload)
    return BankSummary.from_json(summarise(scored).to_json())


def write_bank_summary(scored: Any) -> None:
    """Write ``bank_summary.json`` into a scored folder (atomically)."""
    from segkit.fileio import write_text

    write_text(scored.path / FILE, summarise(scored).to_json())
