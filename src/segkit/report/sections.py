"""The sections of the branch and bank reports, each a list of things to display.

A notebook cell shows one section: ``show(*sections.pyramid(ctx))``. Each
function reads the :class:`BranchContext` (or :class:`BankContext`), computes
its tables with :mod:`segkit.report.views` and draws charts with
:mod:`segkit.report.plots`. Titles follow the report language.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from segkit.report import plots, views
from segkit.report.summary import BankSummary, bank_summary, kpis_from_totals
from segkit.report.views import Html, t
from segkit.scored import Scored

TITLES = {
    "branch_report": {"zh": "网点客户经营报告", "en": "Branch customer report"},
    "bank_report": {"zh": "全行客户经营报告", "en": "Bank customer report"},
    "kpis": {"zh": "核心指标", "en": "Key figures"},
    "pyramid": {"zh": "客户分层：本行与全行", "en": "Asset pyramid: branch against bank"},
    "pyramid_customers": {"zh": "各层级客户占比", "en": "Customers per tier"},
    "pyramid_aum": {"zh": "各层级资产占比", "en": "AUM per tier"},
    "migration": {"zh": "层级迁移（上期 → 本期）", "en": "Tier migration (previous → current)"},
    "downgraded": {"zh": "贵宾等级下降、资产流失最多的 {n} 位客户（逐一回访）",
                   "en": "The {n} customers whose VIP level fell with the largest asset loss (call each one)"},
    "classes": {"zh": "客户分类与行动名单", "en": "Product classes and action lists"},
    "lists": {"zh": "行动名单（每项前 {n} 位）", "en": "Action lists (first {n} of each)"},
    "matrix": {"zh": "三分矩阵与 MAN 优先级", "en": "Three-split matrix and MAN priorities"},
    "matrix_chart": {"zh": "资产水平 × 熟悉程度", "en": "Asset level × familiarity"},
    "clusters": {"zh": "客群：本行所处位置", "en": "Clusters: where the branch sits"},
    "cluster_chart": {"zh": "各客群占比", "en": "Share of each cluster"},
    "bank_clusters": {"zh": "客群：户均资产与平均流失概率（气泡大小为客户数）",
                      "en": "Clusters: AUM per customer against mean churn risk (bubble size: customers)"},
    "churn": {"zh": "流失风险", "en": "Churn risk"},
    "churn_bands": {"zh": "各风险等级客户数", "en": "Customers per risk band"},
    "churn_top": {"zh": "风险资产最高的 {n} 位客户", "en": "Top {n} customers by value at risk"},
    "books": {"zh": "客户经理户数与上限", "en": "Managers' books against the cap"},
    "books_chart": {"zh": "客户经理管户数", "en": "Customers per manager"},
    "targets": {"zh": "目标与完成", "en": "Targets and actuals"},
    "target_split": {"zh": "目标分解到人（全年、本季、本月、每个工作日）",
                     "en": "Targets per manager (year, quarter, month, working day)"},
    "bottom_branches": {"zh": "网点目标完成排名", "en": "Branches ranked by progress"},
    "bottom_managers": {"zh": "客户经理完成率后五名", "en": "Managers with the lowest progress"},
    "missing": {"zh": "数据中没有这一部分所需的字段。", "en": "The data has no columns for this section."},
    "data": {"zh": "数据检查", "en": "Data check"},
    "model": {"zh": "流失模型质量", "en": "Churn model quality"},
    "calibration": {"zh": "校准：预测流失概率与实际流失率（未参与训练的客户）",
                    "en": "Calibration: predicted risk against observed churn (customers held out of training)"},
    "drivers": {"zh": "全行流失驱动因素（平均贡献占比）", "en": "What drives churn across the bank (share of mean contribution)"},
    "branches": {"zh": "各网点", "en": "Branches"},
}


def title(key: str, language: str, **values: Any) -> str:
    """A section title in ``language``."""
    return TITLES[key][language].format(**values)


def heading(key: str, language: str, level: int = 2, **values: Any) -> Html:
    """A section heading."""
    return Html(f"<h{level}>{html.escape(title(key, language, **values))}</h{level}>")


def note(key: str, language: str) -> Html:
    """A muted sentence."""
    return Html(f'<p class="note">{html.escape(title(key, language))}</p>')


# ------------------------------------------------------------------ context
def in_language(customers: pd.DataFrame, language: str) -> pd.DataFrame:
    """Show cluster names in the report's language (``cluster_name`` is English)."""
    if language == "zh" and "cluster_name_zh" in customers:
        return customers.assign(cluster_name=customers["cluster_name_zh"])
    return customers


@dataclass
class BranchContext:
    """Everything a branch report reads: its own customers and the bank's totals.

    Of the other branches it sees only :class:`~segkit.report.summary.BankSummary`
    (counts and sums over the whole bank).
    """

    scored: Scored
    branch_id: str
    language: str = "zh"
    top_n: int = 20
    run_id: str = ""

    @classmethod
    def open(cls, scored: Scored, branch_id: str | None, language: str = "zh", top_n: int = 20,
             run_id: str = "") -> BranchContext:
        """Open a branch (the first one when ``branch_id`` is empty)."""
        branch = str(branch_id) if branch_id else str(scored.branches["branch_id"].iloc[0])
        scored.slug(branch)
        return cls(scored, branch, language, int(top_n), run_id)

    @cached_property
    def params(self) -> Any:
        return self.scored.params

    @cached_property
    def customers(self) -> pd.DataFrame:
        return in_language(self.scored.customers(self.branch_id), self.language)

    @cached_property
    def bank(self) -> BankSummary:
        return bank_summary(self.scored)

    @cached_property
    def tiers(self) -> dict[str, str]:
        return views.tier_labels(self.params, self.language)

    @cached_property
    def calls(self) -> pd.DataFrame:
        """The first ``top_n`` customers of each call list."""
        return views.call_list(self.customers, self.language, self.tiers, limit=self.top_n)

    @cached_property
    def list_counts(self) -> pd.DataFrame:
        return views.list_counts(self.customers, self.language)


# ------------------------------------------------------------------ sections
def header(ctx: BranchContext) -> list[Any]:
    lang = ctx.language
    head = f"{title('branch_report', lang)} · {ctx.branch_id}"
    sub = f"{ctx.params.name} · {ctx.params.as_of.isoformat()}" + (f" · run {ctx.run_id}" if ctx.run_id else "")
    return [Html(f"<h1>{html.escape(head)}</h1><p class=\"note\">{html.escape(sub)}</p>"),
            heading("kpis", lang),
            views.kpi_cards(views.branch_kpis(ctx.customers), lang, bank=ctx.bank.reference())]


def pyramid(ctx: BranchContext) -> list[Any]:
    lang = ctx.language
    codes = list(ctx.tiers)
    branch, bank = views.tier_counts(ctx.customers, codes), ctx.bank.tier_counts(codes)
    panels = {title("pyramid_customers", lang): views.pyramid(branch, bank, ctx.tiers, lang, "customers"),
              title("pyramid_aum", lang): views.pyramid(branch, bank, ctx.tiers, lang, "aum")}
    return [heading("pyramid", lang), plots.compare_bars(panels, title("pyramid", lang), lang)]


def migration(ctx: BranchContext) -> list[Any]:
    lang = ctx.language
    matrix = views.migration_table(ctx.customers, ctx.params.schemes.tier, ctx.tiers)
    if matrix.empty:
        return [heading("migration", lang), note("missing", lang)]
    vip = views.downgraded(ctx.customers, ctx.params.schemes.vip, views.band_labels(ctx.params.schemes.vip, lang),
                           ctx.top_n)
    return [heading("migration", lang), plots.heatmap(matrix, title("migration", lang), lang),
            heading("downgraded", lang, level=3, n=ctx.top_n), views.table(vip, lang, money=["aum_prev", "aum"])]


def classes(ctx: BranchContext) -> list[Any]:
    lang = ctx.language
    summary = views.class_summary(ctx.customers, views.class_labels(ctx.params, lang), lang)
    counts = ctx.list_counts
    return [heading("classes", lang),
            views.table(summary, lang, money=["aum"], shares=["share"], counts=["customers"]),
            views.table(counts, lang, counts=["customers"])]


def action_lists(ctx: BranchContext) -> list[Any]:
    lang = ctx.language
    items: list[Any] = [heading("lists", lang, n=ctx.top_n)]
    sizes = dict(ctx.list_counts.itertuples(index=False))
    for name, rows in ctx.calls.groupby("list", sort=False):
        items.append(Html(f"<h3>{html.escape(str(name))} ({sizes[name]:,})</h3>"))
        items.append(views.table(rows.drop(columns="list"), lang, money=["aum", "value_at_risk"], shares=["churn_score"]))
    return items


def matrix(ctx: BranchContext) -> list[Any]:
    lang = ctx.language
    counts = views.matrix_counts(ctx.customers, lang)
    man = views.man_summary(ctx.customers)
    items: list[Any] = [heading("matrix", lang)]
    if counts.empty and man.empty:
        return items + [note("missing", lang)]
    if not counts.empty:
        items.append(plots.heatmap(counts, title("matrix_chart", lang), lang))
    if not man.empty:
        items.append(views.table(man, lang, money=["aum"], counts=["customers"]))
    return items


def clusters(ctx: BranchContext) -> list[Any]:
    lang = ctx.language
    branch, bank = views.cluster_shares(ctx.customers), ctx.bank.cluster_shares(ctx.language)
    if branch.empty:
        return [heading("clusters", lang), note("missing", lang)]
    position = views.cluster_position(branch, bank, lang)
    shown = branch.reset_index().rename(columns={"cluster_name": "cluster"})
    return [heading("clusters", lang),
            plots.compare_bars(position, title("cluster_chart", lang), lang),
            views.table(shown, lang, money=["aum_mean"], shares=["share", "churn_mean"], counts=["customers"])]


def churn(ctx: BranchContext) -> list[Any]:
    lang = ctx.language
    bands = views.churn_bands(ctx.customers, lang)
    top = views.top_churn(ctx.customers, ctx.top_n, lang)
    if top.empty:
        return [heading("churn", lang), note("missing", lang)]
    return [heading("churn", lang), Html(f'<p class="note">{html.escape(views.churn_method(ctx.scored.metrics.get("churn", {}), lang))}</p>'),
            plots.bars(bands, title("churn_bands", lang), lang, color=plots.PALETTE[3]),
            heading("churn_top", lang, level=3, n=ctx.top_n),
            views.table(top, lang, money=["aum", "value_at_risk"], shares=["churn_score"])]


def books(ctx: BranchContext) -> list[Any]:
    lang = ctx.language
    cap = ctx.params.assignment.branch_caps.get(ctx.branch_id, ctx.params.assignment.cap)
    table = views.manager_books(ctx.customers, cap, lang)
    if table.empty:
        return [heading("books", lang), note("missing", lang)]
    return [heading("books", lang),
            plots.book_chart(table, cap, title("books_chart", lang), lang, f"{t('cap', lang)} {cap}"),
            views.table(table, lang, money=["aum"], counts=["customers", "over_cap"])]


def targets(ctx: BranchContext) -> list[Any]:
    """Progress against target (the branch's rank in the bank, its managers' ranks) and each manager's split."""
    lang = ctx.language
    if not ctx.scored.has_table("targets"):
        return []
    split = views.target_split(ctx.scored.table("targets"), ctx.branch_id, ctx.params.as_of, lang)
    if split.empty:
        return []
    items: list[Any] = [heading("targets", lang)]
    if ctx.scored.has_table("target_progress"):
        items.append(Html(f'<p class="note">{html.escape(views.target_note(ctx.params.targets, ctx.params.as_of, lang))}</p>'))
        progress = ctx.scored.table("target_progress")
        for level in ("branch", "manager"):
            rows = views.target_ranking(progress, level, lang, ctx.branch_id)
            items.append(views.table(rows, lang, money=["target", "actual"], shares=["progress"]))
    items += [heading("target_split", lang, level=3),
              views.table(split, lang, money=["target_year", "target_quarter", "target_month", "target_day"])]
    return items


BRANCH_SECTIONS = (header, pyramid, migration, classes, action_lists, matrix, clusters, churn, books, targets)


# ---------------------------------------------------------------- bank report
@dataclass
class BankContext:
    """What the bank-wide report reads: the bank summary, tables and metrics (never every customer)."""

    scored: Scored
    language: str = "zh"
    run_id: str = ""

    @cached_property
    def params(self) -> Any:
        return self.scored.params

    @cached_property
    def bank(self) -> BankSummary:
        return bank_summary(self.scored)

    @cached_property
    def tiers(self) -> dict[str, str]:
        return views.tier_labels(self.params, self.language)


def bank_header(ctx: BankContext) -> list[Any]:
    lang = ctx.language
    sub = f"{ctx.params.name} · {ctx.params.as_of.isoformat()}" + (f" · run {ctx.run_id}" if ctx.run_id else "")
    profile = ctx.scored.metrics.get("data", {})
    return [Html(f"<h1>{html.escape(title('bank_report', lang))}</h1><p class=\"note\">{html.escape(sub)}</p>"),
            heading("kpis", lang), views.kpi_cards(kpis_from_totals(ctx.bank.totals), lang),
            heading("data", lang), views.table(views.data_check(ctx.scored.input, len(ctx.scored.branches), profile, lang), lang),
            views.table(views.missing_values(profile, lang), lang, shares=["share"], counts=["missing"])]


def bank_pyramid(ctx: BankContext) -> list[Any]:
    lang = ctx.language
    counts = ctx.bank.tier_counts(list(ctx.tiers))
    frame = pd.DataFrame({t("share_customers", lang): counts["customers"] / max(counts["customers"].sum(), 1),
                          t("share_aum", lang): counts["aum"] / max(counts["aum"].sum(), 1)})
    frame = frame.iloc[::-1]
    frame.index = [ctx.tiers[code] for code in frame.index]
    summary = ctx.bank.class_summary(views.class_labels(ctx.params, lang))
    return [heading("pyramid_customers", lang), plots.compare_bars(frame, title("pyramid_customers", lang), lang),
            heading("classes", lang), views.table(summary, lang, money=["aum"], shares=["share"], counts=["customers"])]


def bank_model(ctx: BankContext) -> list[Any]:
    """How good the churn scores are on customers held out of training: metrics, calibration, bands, and the global drivers."""
    lang = ctx.language
    churn = ctx.scored.metrics.get("churn", {})
    if not churn:
        return [heading("model", lang), note("missing", lang)]
    items: list[Any] = [heading("model", lang), Html(f'<p class="note">{html.escape(views.churn_method(churn, lang))}</p>')]
    if churn.get("evaluated"):
        items.append(views.table(views.model_metrics(churn, lang), lang))
        curve = pd.DataFrame(churn.get("calibration_curve", []))
        if not curve.empty:
            items.append(plots.calibration(curve, title("calibration", lang), lang, t("churn_score", lang), t("churn_rate", lang)))
        items.append(views.table(views.model_bands(churn, lang), lang, counts=["customers"], shares=["share", "churn_rate"]))
    if ctx.scored.has_table("churn_drivers"):
        drivers = ctx.scored.table("churn_drivers").head(10)
        frame = pd.DataFrame({t("share", lang): drivers["share"].to_numpy()}, index=drivers[f"label_{lang}"].astype("str"))
        items += [heading("drivers", lang, level=3), plots.compare_bars(frame, title("drivers", lang), lang)]
    return items


def bank_clusters(ctx: BankContext) -> list[Any]:
    lang = ctx.language
    shares = ctx.bank.cluster_shares(lang)
    if shares.empty:
        return [heading("clusters", lang), note("missing", lang)]
    points = shares.reset_index()
    items: list[Any] = [heading("clusters", lang)]
    if "churn_mean" in points:
        items.append(plots.scatter(points, "aum_mean", "churn_mean", "customers", "cluster_name",
                                   title("bank_clusters", lang), lang, xlabel=t("aum_mean", lang),
                                   ylabel=t("churn_mean", lang)))
    shown = points.rename(columns={"cluster_name": "cluster"})
    items.append(views.table(shown, lang, money=["aum_mean"], shares=["share", "churn_mean"], counts=["customers"]))
    return items


def bank_branches(ctx: BankContext) -> list[Any]:
    lang = ctx.language
    frame = ctx.bank.branch_kpis().rename(columns={"branch_id": t("branch", lang)})
    money = ["aum_total", "aum_mean", "value_at_risk"]
    counts = [c for c in frame.columns if c not in money + ["aum_change", t("branch", lang)]]
    return [heading("branches", lang), views.table(frame, lang, money=money, shares=["aum_change"], counts=counts)]


def bank_targets(ctx: BankContext) -> list[Any]:
    """Every branch ranked by progress against target, and the managers flagged in the bottom five."""
    lang = ctx.language
    if not ctx.scored.has_table("target_progress"):
        return []
    progress = ctx.scored.table("target_progress")
    managers = views.target_ranking(progress, "manager", lang)
    flagged = managers.loc[managers["bottom_five"] != ""]
    money, shares = ["target", "actual"], ["progress"]
    return [heading("targets", lang),
            Html(f'<p class="note">{html.escape(views.target_note(ctx.params.targets, ctx.params.as_of, lang))}</p>'),
            heading("bottom_branches", lang, level=3),
            views.table(views.target_ranking(progress, "branch", lang), lang, money=money, shares=shares),
            heading("bottom_managers", lang, level=3), views.table(flagged, lang, money=money, shares=shares)]


BANK_SECTIONS = (bank_header, bank_pyramid, bank_model, bank_clusters, bank_branches, bank_targets)
