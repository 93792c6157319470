"""Report tables computed from scored customers (pure functions of DataFrames).

Every section of the branch and bank reports is one function here; the
notebooks only call them and show the result. Functions degrade gracefully:
a section whose columns the data lacks returns an empty table, and the
notebook says so.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from segkit.report.mask import mask_frame
from segkit.report.plots import format_number, format_share
from segkit.report.summary import kpi_totals, kpis_from_totals

TEXT: dict[str, dict[str, str]] = {
    "customers": {"zh": "客户数", "en": "Customers"},
    "aum_total": {"zh": "资产总额", "en": "Total AUM"},
    "aum_mean": {"zh": "户均资产", "en": "AUM per customer"},
    "aum_change": {"zh": "资产较上期", "en": "AUM vs last period"},
    "high_value": {"zh": "高资产客户", "en": "High-asset customers"},
    "churn_high": {"zh": "高流失风险", "en": "High churn risk"},
    "value_at_risk": {"zh": "风险资产", "en": "Value at risk"},
    "unassigned": {"zh": "未归户客户", "en": "Unassigned customers"},
    "red_list": {"zh": "红名单", "en": "Red list"},
    "inactive_cards": {"zh": "未激活信用卡", "en": "Inactive credit cards"},
    "bank": {"zh": "全行", "en": "Bank"},
    "branch": {"zh": "本行", "en": "Branch"},
    "share_customers": {"zh": "客户占比", "en": "Share of customers"},
    "share_aum": {"zh": "资产占比", "en": "Share of AUM"},
    "list": {"zh": "名单", "en": "List"},
    "reason": {"zh": "原因", "en": "Reason"},
    "customer_id": {"zh": "客户号", "en": "Customer"},
    "name": {"zh": "姓名", "en": "Name"},
    "phone": {"zh": "电话", "en": "Phone"},
    "manager_id": {"zh": "客户经理", "en": "Manager"},
    "tier": {"zh": "层级", "en": "Tier"},
    "aum": {"zh": "资产", "en": "AUM"},
    "action": {"zh": "建议动作", "en": "Action"},
    "churn_score": {"zh": "流失概率", "en": "Churn risk"},
    "reasons": {"zh": "主要原因", "en": "Main reasons"},
    "class": {"zh": "分类", "en": "Class"},
    "share": {"zh": "占比", "en": "Share"},
    "cluster": {"zh": "客群", "en": "Cluster"},
    "churn_mean": {"zh": "平均流失概率", "en": "Mean churn risk"},
    "cap": {"zh": "户数上限", "en": "Book cap"},
    "over_cap": {"zh": "超出上限", "en": "Over cap"},
    "man_group": {"zh": "MAN 分组", "en": "MAN group"},
    "man_priority": {"zh": "优先级", "en": "Priority"},
    "target": {"zh": "目标", "en": "Target"},
    "actual": {"zh": "完成", "en": "Actual"},
    "progress": {"zh": "完成率", "en": "Progress"},
    "rank": {"zh": "排名", "en": "Rank"},
    "branch_id": {"zh": "网点", "en": "Branch"},
    "metric": {"zh": "指标", "en": "Metric"},
    "item": {"zh": "项目", "en": "Item"},
    "previous": {"zh": "上期层级", "en": "Previous"},
    "current": {"zh": "本期层级", "en": "Current"},
    "aum_prev": {"zh": "上期资产", "en": "AUM last period"},
    "column": {"zh": "字段", "en": "Column"},
    "missing": {"zh": "缺失值", "en": "Missing values"},
    "value": {"zh": "数值", "en": "Value"},
    "band": {"zh": "风险等级", "en": "Risk band"},
    "churn_rate": {"zh": "实际流失率", "en": "Observed churn rate"},
    "driver": {"zh": "驱动因素", "en": "Driver"},
    "bottom_five": {"zh": "后五名", "en": "Bottom five"},
    "target_year": {"zh": "全年目标", "en": "Year"},
    "target_quarter": {"zh": "本季目标", "en": "This quarter"},
    "target_month": {"zh": "本月目标", "en": "This month"},
    "target_day": {"zh": "每人每日", "en": "Per working day"},
    "no_manager": {"zh": "（未归户）", "en": "(unassigned)"},
}

LISTS: dict[str, dict[str, str]] = {
    "churn_high": {"zh": "高流失风险：本周致电挽留", "en": "High churn risk: call this week to retain"},
    "card_inactive": {"zh": "信用卡未激活：邀约到网点激活并交叉销售借记卡",
                      "en": "Credit card not activated: invite to activate, cross-sell a debit card"},
    "card_no_autopay": {"zh": "信用卡未绑定自动还款：推荐双卡绑定",
                        "en": "Card without auto-repayment: offer dual-card binding"},
    "payroll_no_fund": {"zh": "代发薪客户未做基金定投：推荐定投", "en": "Payroll customer without a fund SIP: offer a SIP"},
    "dormant": {"zh": "睡眠客户：资产仍在，邀约唤醒", "en": "Dormant with assets: call to wake up"},
    "unassigned": {"zh": "未归户：分配客户经理", "en": "Unassigned: give the customer a manager"},
    "red_list": {"zh": "红名单：无有效联系方式，核心系统查补", "en": "Red list: no usable contact, look up in the core system"},
}

MATRIX_LABELS = {
    "high": {"zh": "高资产", "en": "High assets"}, "mid": {"zh": "中资产", "en": "Mid assets"},
    "low": {"zh": "低资产", "en": "Low assets"}, "familiar": {"zh": "熟悉", "en": "Familiar"},
    "semi": {"zh": "半熟悉", "en": "Semi-familiar"}, "unfamiliar": {"zh": "陌生", "en": "Unfamiliar"},
}
ASSET_ORDER = ["high", "mid", "low"]
FAMILIARITY_ORDER = ["familiar", "semi", "unfamiliar"]
MAN_PRIORITY = ["M-A-N", "M-A-n", "M-a-N", "m-A-N", "m-a-N", "m-A-n", "M-a-n", "m-a-n"]


def t(key: str, language: str) -> str:
    """The label of ``key`` in ``language`` (the key itself if unknown)."""
    return TEXT.get(key, {}).get(language, key)


def _has(frame: pd.DataFrame, *columns: str) -> bool:
    return all(column in frame.columns for column in columns)


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    """A boolean column, missing values as False (all False if absent)."""
    if column not in frame:
        return pd.Series(False, index=frame.index)
    return frame[column].astype("boolean").fillna(False).astype(bool)


# ------------------------------------------------------------------- labels
def band_labels(scheme: Any, language: str) -> dict[str, str]:
    """``{band code: label}`` of a scheme, lowest band first."""
    return {band.code: getattr(band, language) for band in scheme.bands}


def tier_labels(params: Any, language: str) -> dict[str, str]:
    """``{tier code: label}``, lowest band first, from the tier scheme."""
    return band_labels(params.schemes.tier, language)


def class_labels(params: Any, language: str) -> dict[str, str]:
    """``{class code: label}`` from the params' class rules (codes as labels if none)."""
    rules = getattr(getattr(params, "rules", None), "classes", None) or []
    return {rule.code: getattr(rule, language) for rule in rules}


# --------------------------------------------------------------------- KPIs
def branch_kpis(customers: pd.DataFrame) -> dict[str, float | int]:
    """Headline figures of a set of customers (a branch, or the bank).

    Keys: ``customers``, ``aum_total``, ``aum_mean`` and, when the data has
    them, ``aum_change`` (share vs ``aum_prev``), ``high_value`` (high asset
    level), ``churn_high``, ``value_at_risk``, ``unassigned``, ``red_list``
    (no usable contact) and ``inactive_cards``.
    """
    return kpis_from_totals(kpi_totals(customers))


def format_kpi(key: str, value: float, language: str) -> str:
    """A KPI value as people read it."""
    if key == "aum_change":
        return ("+" if value > 0 else "") + format_share(value)
    return format_number(value, language)


class Html:
    """An HTML fragment Jupyter displays as ``text/html``."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_html_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return "[html]"


def kpi_cards(kpis: Mapping[str, float], language: str, bank: Mapping[str, float] | None = None) -> Html:
    """KPI cards; with ``bank``, each card also shows the bank's per-branch average or share."""
    cards = []
    for key, value in kpis.items():
        note = ""
        if bank is not None and key in bank:
            note = f'<div class="bank">{html.escape(t("bank", language))}: {html.escape(format_kpi(key, bank[key], language))}</div>'
        cards.append(
            f'<div class="kpi"><div class="label">{html.escape(t(key, language))}</div>'
            f'<div class="value">{html.escape(format_kpi(key, value, language))}</div>{note}</div>'
        )
    return Html(f'<div class="kpis">{"".join(cards)}</div>')


# ------------------------------------------------------------------ tables
def _cell(value: object, language: str) -> str:
    """A table cell's text: missing as a dash, floats for people, the rest as written."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if isinstance(value, (float, np.floating)):
        return format_number(float(value), language)
    return str(value)


def table(frame: pd.DataFrame, language: str, money: Sequence[str] = (), shares: Sequence[str] = (),
          counts: Sequence[str] = (), labels: bool = True, index: bool = False) -> Html:
    """An HTML table for people: names and phones masked, numbers formatted, headers translated.

    ``money`` and ``counts`` columns are written with :func:`format_number`,
    ``shares`` as percentages; other floats with :func:`format_number` too.
    """
    if frame.empty:
        return Html('<p class="note">—</p>')
    shown = mask_frame(frame)
    if index:
        shown = shown.reset_index()
    formatters = {column: (lambda v: format_number(v, language)) for column in [*money, *counts]}
    formatters.update({column: format_share for column in shares})
    head = "".join(f"<th>{html.escape(t(str(c), language) if labels else str(c), quote=False)}</th>" for c in shown.columns)
    columns = []
    for name in shown.columns:
        values = shown[name].tolist()
        formatter = formatters.get(name)
        if formatter is not None:
            columns.append([html.escape(formatter(v), quote=False) for v in values])
        else:
            columns.append([html.escape(_cell(v, language), quote=False) for v in values])
    rows = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>\n" for row in zip(*columns, strict=True))
    return Html(f'<table class="dataframe">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>')


# -------------------------------------------------------------- pyramid
def tier_counts(customers: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Customers and AUM per tier code (every code, in order)."""
    grouped = customers.groupby(customers["tier"].astype("str"), observed=True)["aum"].agg(["size", "sum"])
    grouped = grouped.reindex(list(codes), fill_value=0)
    return pd.DataFrame({"customers": grouped["size"].astype("int64"), "aum": grouped["sum"].astype(float)})


def pyramid(branch: pd.DataFrame, bank: pd.DataFrame, labels: Mapping[str, str], language: str,
            measure: str = "customers") -> pd.DataFrame:
    """Shares of ``measure`` per tier, branch against bank, highest tier first.

    ``branch`` and ``bank`` are :func:`tier_counts` tables.
    """
    codes = list(labels)[::-1]
    frame = pd.DataFrame({
        t("branch", language): branch[measure].reindex(codes).fillna(0) / max(branch[measure].sum(), 1),
        t("bank", language): bank[measure].reindex(codes).fillna(0) / max(bank[measure].sum(), 1),
    })
    frame.index = [labels[code] for code in codes]
    return frame


def migration_table(customers: pd.DataFrame, scheme: Any, labels: Mapping[str, str]) -> pd.DataFrame:
    """Customers by previous tier (rows) and current tier (columns), labelled; empty without ``aum_prev``."""
    if not _has(customers, "aum_prev", scheme.column):
        return pd.DataFrame()
    from segkit.rules.migration import migration_matrix

    matrix = migration_matrix(customers, scheme)
    return matrix.rename(index=dict(labels), columns=dict(labels))


def downgraded(customers: pd.DataFrame, scheme: Any, labels: Mapping[str, str], n: int) -> pd.DataFrame:
    """The ``n`` customers who fell furthest in ``scheme`` since the previous period (largest asset fall first)."""
    if not _has(customers, "aum_prev", scheme.column):
        return pd.DataFrame()
    from segkit.rules.migration import migration_lists

    moved = migration_lists(customers, scheme)[1]
    moved = moved.assign(fall=moved["aum_prev"] - moved["aum"]).sort_values(
        ["fall", "customer_id"], ascending=[False, True], kind="stable").head(n)
    names = customers.set_index("customer_id")["name"] if "name" in customers else None
    shown = moved.assign(previous=moved["previous"].map(dict(labels)), current=moved["current"].map(dict(labels)))
    if names is not None:
        shown.insert(1, "name", shown["customer_id"].map(names))
    keep = [c for c in ("customer_id", "name", "manager_id", "previous", "current", "aum_prev", "aum") if c in shown]
    return shown[keep].reset_index(drop=True)


# ---------------------------------------------------------------- classes
def class_summary(customers: pd.DataFrame, labels: Mapping[str, str], language: str) -> pd.DataFrame:
    """Customers and AUM per product class (multi-label: a customer counts in each of their classes)."""
    codes = [c for c in labels if f"class_{c}" in customers] or [
        c.removeprefix("class_") for c in customers.columns if c.startswith("class_")
    ]
    rows = []
    n = max(len(customers), 1)
    for code in codes:
        member = _flag(customers, f"class_{code}")
        rows.append({"class": labels.get(code, code), "customers": int(member.sum()),
                     "share": float(member.sum() / n), "aum": float(customers.loc[member, "aum"].sum())})
    return pd.DataFrame(rows, columns=["class", "customers", "share", "aum"])


# ----------------------------------------------------------- action lists
def _list_masks(customers: pd.DataFrame) -> dict[str, pd.Series]:
    masks: dict[str, pd.Series] = {}
    if "churn_band" in customers:
        masks["churn_high"] = customers["churn_band"].astype("str") == "high"
    if "card_state" in customers:
        state = customers["card_state"].astype("str")
        masks["card_inactive"] = state == "card_inactive"
        masks["card_no_autopay"] = state == "card_no_autopay"
    elif "credit_card" in customers:
        card = customers["credit_card"].astype("str")
        masks["card_inactive"] = card == "inactive"
        if "card_autopay_bound" in customers:
            masks["card_no_autopay"] = (card == "active") & ~_flag(customers, "card_autopay_bound")
    if _has(customers, "has_payroll", "has_fund"):
        masks["payroll_no_fund"] = _flag(customers, "has_payroll") & ~_flag(customers, "has_fund")
    if "dormant" in customers:
        masks["dormant"] = _flag(customers, "dormant")
    if "manager_id" in customers:
        masks["unassigned"] = customers["manager_id"].isna()
    if "has_contact" in customers:
        masks["red_list"] = ~_flag(customers, "has_contact")
    return {name: mask.fillna(False).astype(bool) for name, mask in masks.items()}


CALL_COLUMNS = ["list", "customer_id", "name", "phone", "manager_id", "tier", "aum", "churn_score",
                "value_at_risk", "action", "reason"]


def call_list(customers: pd.DataFrame, language: str, tier_names: Mapping[str, str] | None = None,
              limit: int | None = None) -> pd.DataFrame:
    """Every customer to contact, one row per (list, customer), most valuable first within a list.

    Lists (in this order): high churn risk, inactive credit card, card without
    auto-repayment, payroll without fund SIP, dormant with assets, unassigned,
    red list. Columns:
    see ``CALL_COLUMNS`` (those the data has); ``list`` is the list's label and
    ``reason`` the churn reasons where scored. With ``limit``, only the first
    ``limit`` customers of each list.
    """
    masks = _list_masks(customers)
    if not masks:
        return pd.DataFrame(columns=["list", "customer_id"])
    needed = {*CALL_COLUMNS, f"action_{language}", *reason_columns(language)}
    narrow = customers[[column for column in customers.columns if column in needed]].reset_index(drop=True)
    picked, labels = [], []
    for code, mask in masks.items():
        sort = "value_at_risk" if code == "churn_high" and "value_at_risk" in narrow else "aum"
        keys = narrow.loc[mask.to_numpy(), [sort, "customer_id"]]
        order = keys.sort_values([sort, "customer_id"], ascending=[False, True], kind="stable").index[:limit]
        picked.append(order.to_numpy())
        labels += [LISTS[code][language]] * len(order)
    return _call_rows(narrow.take(np.concatenate(picked)), labels, language, tier_names)


def reason_columns(language: str) -> list[str]:
    """The scored table's churn reasons in ``language``, most important first."""
    return [f"churn_reason_{rank}_{language}" for rank in (1, 2, 3)]


def _reasons(frame: pd.DataFrame, language: str) -> pd.Series:
    columns = [c for c in reason_columns(language) if c in frame]
    if not columns:
        return pd.Series("", index=frame.index, dtype="str")
    parts = [frame[c].astype("str").where(frame[c].notna(), "") for c in columns]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.str.cat(part, sep="; ")
    return joined.str.replace(r"(?:; )+$|^(?:; )+", "", regex=True).str.replace(r"(?:; ){2,}", "; ", regex=True)


def _call_rows(part: pd.DataFrame, labels: list[str], language: str,
               tier_names: Mapping[str, str] | None) -> pd.DataFrame:
    part = part.reset_index(drop=True)
    rows = {"list": pd.Series(labels, index=part.index, dtype="str")}
    for column in CALL_COLUMNS[1:]:
        if column == "action":
            source = f"action_{language}"
            if source in part:
                rows["action"] = part[source]
        elif column == "reason":
            rows["reason"] = _reasons(part, language)
        elif column == "tier" and "tier" in part:
            tiers = part["tier"].astype("str")
            rows["tier"] = tiers.map(dict(tier_names)).fillna(tiers) if tier_names else tiers
        elif column in part:
            rows[column] = part[column]
    return pd.DataFrame(rows)


def list_counts(customers: pd.DataFrame, language: str) -> pd.DataFrame:
    """How many customers each call list holds, in list order (lists without customers left out)."""
    counts = pd.DataFrame([{"list": LISTS[code][language], "customers": int(mask.sum())}
                           for code, mask in _list_masks(customers).items()], columns=["list", "customers"])
    return counts.loc[counts["customers"] > 0].reset_index(drop=True)


# -------------------------------------------------------- matrix and MAN
def matrix_counts(customers: pd.DataFrame, language: str) -> pd.DataFrame:
    """Customers by asset level (rows, high first) and familiarity (columns, familiar first)."""
    if not _has(customers, "asset_level", "familiarity"):
        return pd.DataFrame()
    table = pd.crosstab(customers["asset_level"].astype("str"), customers["familiarity"].astype("str"))
    table = table.reindex(index=ASSET_ORDER, columns=FAMILIARITY_ORDER, fill_value=0)
    table.index = [MATRIX_LABELS[k][language] for k in table.index]
    table.columns = [MATRIX_LABELS[k][language] for k in table.columns]
    return table


def man_summary(customers: pd.DataFrame) -> pd.DataFrame:
    """Customers and AUM per MAN group, in priority order (1 = work first)."""
    if "man_group" not in customers:
        return pd.DataFrame()
    groups = customers["man_group"].astype("str")
    summary = customers.groupby(groups, observed=True)["aum"].agg(["size", "sum"])
    summary = summary.reindex(MAN_PRIORITY, fill_value=0)
    return pd.DataFrame({
        "man_priority": np.arange(1, len(MAN_PRIORITY) + 1),
        "man_group": MAN_PRIORITY,
        "customers": summary["size"].astype("int64").to_numpy(),
        "aum": summary["sum"].astype(float).to_numpy(),
    })


# --------------------------------------------------------------- clusters
def cluster_shares(customers: pd.DataFrame) -> pd.DataFrame:
    """Customers, share, mean AUM and mean churn risk per cluster name."""
    if "cluster_name" not in customers:
        return pd.DataFrame()
    names = customers["cluster_name"].astype("str")
    aggregations = {"customers": ("aum", "size"), "aum_mean": ("aum", "mean")}
    if "churn_score" in customers:
        aggregations["churn_mean"] = ("churn_score", "mean")
    table = customers.assign(cluster_name=names).groupby("cluster_name", observed=True).agg(**aggregations)
    table["share"] = table["customers"] / max(len(customers), 1)
    return table.sort_index()


def cluster_position(branch: pd.DataFrame, bank: pd.DataFrame, language: str) -> pd.DataFrame:
    """Each cluster's share of the branch against its share of the bank (bank clusters in order)."""
    if branch.empty or bank.empty:
        return pd.DataFrame()
    frame = pd.DataFrame({
        t("branch", language): branch["share"].reindex(bank.index).fillna(0.0),
        t("bank", language): bank["share"],
    })
    return frame


# ------------------------------------------------------------------ churn
def top_churn(customers: pd.DataFrame, n: int, language: str) -> pd.DataFrame:
    """The ``n`` customers with the largest value at risk, with their reasons in ``language``."""
    if not _has(customers, "value_at_risk", "churn_score"):
        return pd.DataFrame()
    top = customers.sort_values(["value_at_risk", "customer_id"], ascending=[False, True], kind="stable").head(n)
    keep = [c for c in ("customer_id", "name", "manager_id", "aum", "churn_score", "value_at_risk") if c in top]
    return top[keep].assign(reasons=_reasons(top, language)).reset_index(drop=True)


# ---------------------------------------------------------------- data check
def data_check(source: Mapping[str, Any], branches: int, profile: Mapping[str, Any], language: str) -> pd.DataFrame:
    """What the run read: the input, its size and fingerprint, and the optional columns it lacks."""
    from segkit.data.schema import CUSTOMERS

    words = {"input": {"zh": "输入文件", "en": "Input"}, "rows": {"zh": "客户数", "en": "Customers"},
             "branches": {"zh": "网点数", "en": "Branches"}, "sha256": {"zh": "SHA-256 指纹", "en": "SHA-256"},
             "absent": {"zh": "缺少的可选字段（相关功能已跳过）", "en": "Optional columns absent (features skipped)"}}
    rows = [("input", Path(str(source.get("path", ""))).name), ("rows", f"{int(source.get('rows', 0)):,}"),
            ("branches", f"{branches:,}"), ("sha256", str(source.get("sha256", "")))]
    absent = [f"{name}: {CUSTOMERS.columns[name].metadata['needed_by']}" for name in profile.get("absent", [])
              if name in CUSTOMERS.columns]
    rows += [("absent", "; ".join(absent) if absent else "–")]
    return pd.DataFrame({"item": [words[key][language] for key, _ in rows], "value": [value for _, value in rows]})


def missing_values(profile: Mapping[str, Any], language: str) -> pd.DataFrame:
    """Canonical columns with missing values: how many and what share of the customers, most missing first.

    Merchant and corporate measures are left out: they are missing for every other customer by design.
    """
    from segkit.data.schema import CUSTOMERS

    n = max(int(profile.get("rows", 0)), 1)
    missing = {column: count for column, count in profile.get("missing_values", {}).items()
               if column in CUSTOMERS.columns and (CUSTOMERS.columns[column].metadata or {}).get("segment") is None}
    counts = pd.Series(missing, dtype="int64")
    if counts.empty:
        return pd.DataFrame(columns=["column", "missing", "share"])
    counts = counts.sort_values(ascending=False, kind="stable")
    return pd.DataFrame({"column": counts.index, "missing": counts.to_numpy(), "share": counts.to_numpy() / n})


MODEL_METRICS = {
    "roc_auc": {"zh": "ROC AUC（区分能力）", "en": "ROC AUC (ranking)"},
    "pr_auc": {"zh": "PR AUC", "en": "PR AUC"},
    "brier": {"zh": "Brier 分数（越小越好）", "en": "Brier score (lower is better)"},
    "log_loss": {"zh": "对数损失", "en": "Log loss"},
    "lift_top10": {"zh": "前10%提升度", "en": "Lift, top 10%"},
    "capture_top10": {"zh": "前10%覆盖流失客户", "en": "Churners caught, top 10%"},
    "lift_top20": {"zh": "前20%提升度", "en": "Lift, top 20%"},
    "capture_top20": {"zh": "前20%覆盖流失客户", "en": "Churners caught, top 20%"},
    "base_rate": {"zh": "流失率", "en": "Churn rate"},
    "n_rows": {"zh": "评估客户数", "en": "Customers evaluated"},
}
_SHARE_METRICS = {"capture_top10", "capture_top20", "base_rate"}


def model_metrics(churn: Mapping[str, Any], language: str) -> pd.DataFrame:
    """The churn model's held-out metrics for people: ``metric`` and ``value`` (text)."""
    rows = []
    for key, label in MODEL_METRICS.items():
        if churn.get(key) is None:
            continue
        value = float(churn[key])
        text = format_share(value) if key in _SHARE_METRICS else f"{value:,.0f}" if key == "n_rows" else f"{value:.3f}"
        rows.append({"metric": label[language], "value": text})
    if churn.get("roc_auc_folds"):
        label = {"zh": "各折 ROC AUC", "en": "ROC AUC per fold"}[language]
        rows.append({"metric": label, "value": " / ".join(f"{value:.3f}" for value in churn["roc_auc_folds"])})
    return pd.DataFrame(rows, columns=["metric", "value"])


def churn_method(churn: Mapping[str, Any], language: str) -> str:
    """One sentence saying where the churn scores come from: a calibrated model, or the heuristic early warning."""
    if churn.get("method") == "heuristic" or not churn.get("evaluated"):
        return {"zh": "流失风险为启发式预警：数据中没有流失标签，按不活跃、资产下降、产品少和失联加权打分，分值用于排序，不是概率。",
                "en": "Churn risk is a heuristic early warning: the data has no churn label, so inactivity, falling "
                      "assets, few products and lost contact are weighted into a score for ranking, not a probability."}[language]
    auc, brier = float(churn.get("roc_auc", float("nan"))), float(churn.get("brier", float("nan")))
    if churn.get("evaluation") == "held_out":
        held = int(churn.get("n_rows", 0))
        test = {"zh": f"用 {held:,} 名未参与训练的客户检验", "en": f"tested on {held:,} customers held out of training"}
    else:
        folds = churn.get("cv_folds")
        test = {"zh": f"{folds} 折交叉验证", "en": f"{folds}-fold cross-validation"}
    return {"zh": f"流失概率来自经过校准的模型（{test['zh']}：ROC AUC {auc:.3f}，Brier {brier:.3f}）。",
            "en": f"Churn risk is a calibrated model's probability ({test['en']}: ROC AUC {auc:.3f}, "
                  f"Brier {brier:.3f})."}[language]


def model_bands(churn: Mapping[str, Any], language: str) -> pd.DataFrame:
    """Customers, share and observed churn rate per band, held out of training (high band first)."""
    names = {"low": {"zh": "低", "en": "Low"}, "medium": {"zh": "中", "en": "Medium"}, "high": {"zh": "高", "en": "High"}}
    rows = [{"band": names.get(row["band"], {}).get(language, row["band"]), "customers": row["n"], "share": row["share"],
             "churn_rate": row["churn_rate"]} for row in churn.get("bands", [])]
    return pd.DataFrame(rows, columns=["band", "customers", "share", "churn_rate"])


def churn_bands(customers: pd.DataFrame, language: str) -> pd.Series:
    """Customers per churn band (low, medium, high)."""
    if "churn_band" not in customers:
        return pd.Series(dtype="int64")
    counts = customers["churn_band"].astype("str").value_counts()
    order = [band for band in ("low", "medium", "high") if band in counts.index] + sorted(
        set(counts.index) - {"low", "medium", "high"}
    )
    names = {"low": {"zh": "低", "en": "Low"}, "medium": {"zh": "中", "en": "Medium"}, "high": {"zh": "高", "en": "High"}}
    counts = counts.reindex(order)
    counts.index = [names.get(band, {}).get(language, band) for band in order]
    return counts


# ---------------------------------------------------------------- books
def manager_books(customers: pd.DataFrame, cap: int, language: str) -> pd.DataFrame:
    """Customers and AUM per manager against the cap, largest book first; unassigned last."""
    if "manager_id" not in customers:
        return pd.DataFrame()
    managers = customers["manager_id"].astype("str").fillna(t("no_manager", language))
    books = customers.assign(manager_id=managers).groupby("manager_id", observed=True)["aum"].agg(["size", "sum"])
    books = books.rename(columns={"size": "customers", "sum": "aum"}).reset_index()
    books["over_cap"] = (books["customers"] - cap).clip(lower=0).astype("int64")
    books["unassigned"] = books["manager_id"] == t("no_manager", language)
    books = books.sort_values(["unassigned", "customers", "manager_id"], ascending=[True, False, True], kind="stable")
    return books.drop(columns="unassigned").reset_index(drop=True)


# ------------------------------------------------------------------ targets
def target_split(targets: pd.DataFrame, branch_id: str, as_of: Any, language: str) -> pd.DataFrame:
    """Each manager's target for the year, the quarter and the month of ``as_of``, and per working day.

    ``targets`` is the run's ``targets`` table (:func:`segkit.rules.split_targets`).
    Unassigned branch targets (a branch without managers) show as one row.
    """
    rows = targets.loc[targets["branch_id"].astype("str") == str(branch_id)]
    if rows.empty:
        return pd.DataFrame()
    year = as_of.year
    periods = {str(year): "target_year", f"{year}-Q{(as_of.month - 1) // 3 + 1}": "target_quarter",
               f"{year}-{as_of.month:02d}": "target_month", f"{year}-day": "target_day"}
    chosen = rows.loc[rows["period"].isin(list(periods))]
    managers = chosen["manager_id"].astype("str").fillna(t("no_manager", language))
    table = chosen.assign(manager_id=managers, column=chosen["period"].map(periods)).pivot_table(
        index="manager_id", columns="column", values="target", aggfunc="sum", sort=True)
    return table.reindex(columns=list(periods.values())).reset_index()


def target_note(settings: Any, as_of: Any, language: str) -> str:
    """What the progress figures measure, over which period."""
    from segkit.rules import progress_period

    period = progress_period(settings, as_of)
    if settings.measure == "aum_growth":
        return {"zh": f"完成：{period} 各客户经理名下客户的净新增资产（本期日均资产 − 上期日均资产），与同期目标相比；"
                      "排名在全行所有网点、所有客户经理中计算。",
                "en": f"Actual: the net new assets of each manager's customers in {period} (this period's daily average "
                      "AUM less the previous one's), against the target for the same period; ranks are among every "
                      "branch and every manager of the bank."}[language]
    return {"zh": f"完成：{period} 的考核数据，与同期目标相比；排名在全行所有网点、所有客户经理中计算。",
            "en": f"Actual: the bank's figures for {period}, against the target for the same period; ranks are among "
                  "every branch and every manager of the bank."}[language]


def target_ranking(progress: pd.DataFrame, level: str, language: str, branch_id: str | None = None) -> pd.DataFrame:
    """The ``branch`` or ``manager`` rows of the run's ``target_progress`` table, best first.

    With ``branch_id``, only that branch's rows. ``bottom_five`` is shown as a
    word (后五名 / bottom five) so a reader sees who is flagged.
    """
    rows = progress.loc[progress["level"].astype("str") == level]
    if branch_id is not None:
        rows = rows.loc[rows["branch_id"].astype("str") == str(branch_id)]
    keep = ["branch_id", "target", "actual", "progress", "rank", "bottom_five"]
    if level == "manager":
        keep.insert(1, "manager_id")
    shown = rows[keep].sort_values(["rank", *keep[:2]], kind="stable").reset_index(drop=True)
    flag = t("bottom_five", language)
    return shown.assign(bottom_five=np.where(shown["bottom_five"].astype(bool), flag, ""))
