"""``index.html``: every branch of a run with its key figures and links.

Failed reports are listed too, with their error, so nobody mistakes a missing
branch for an empty one. The page is offline like the reports (inline CSS, no
scripts, no external requests).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from segkit.fileio import write_text
from segkit.report.html import assert_offline, page
from segkit.report.jobs import JobResult
from segkit.report.views import format_kpi, t
from segkit.scored import Scored

INDEX = "index.html"
KPI_COLUMNS = ("customers", "aum_total", "aum_mean", "aum_change", "high_value", "churn_high", "value_at_risk",
               "unassigned", "red_list", "inactive_cards")
WORDS = {
    "title": {"zh": "客户经营报告索引", "en": "Customer reports"},
    "bank_report": {"zh": "全行报告", "en": "Bank report"},
    "report": {"zh": "报告", "en": "Report"},
    "calls": {"zh": "名单", "en": "Call lists"},
    "failed": {"zh": "失败", "en": "Failed"},
    "failures": {"zh": "未生成的报告", "en": "Reports that failed"},
    "error": {"zh": "错误", "en": "Error"},
}


def _link(path: str, text: str) -> str:
    return f'<a href="{html.escape(quote(path))}">{html.escape(text)}</a>'


def _file(result: JobResult, suffix: str) -> str | None:
    return next((f for f in result.files if f.endswith(suffix)), None)


def render_index(results: Sequence[JobResult], language: str, heading: str, footer: str) -> str:
    """The index page of a run's results (bank first, then branches)."""
    w = {key: value[language] for key, value in WORDS.items()}
    parts = [f"<h1>{html.escape(w['title'])}</h1><p class=\"note\">{html.escape(heading)}</p>"]
    bank = next((r for r in results if r.kind == "bank"), None)
    if bank is not None and bank.ok:
        parts.append(f"<p>{_link(_file(bank, '.html') or 'bank.html', w['bank_report'])}</p>")
    branches = [r for r in results if r.kind == "branch"]
    columns = [c for c in KPI_COLUMNS if any(c in r.kpis for r in branches)]
    head = "".join(f"<th>{html.escape(h)}</th>" for h in
                   [t("branch", language), *[t(c, language) for c in columns], w["report"], w["calls"]])
    rows = []
    for result in branches:
        if result.ok:
            cells = [html.escape(format_kpi(c, result.kpis[c], language)) if c in result.kpis else "–" for c in columns]
            links = [_link(_file(result, ".html") or "", w["report"]),
                     " · ".join(_link(f, f.rsplit(".", 1)[-1].upper()) for f in result.files if "-calls." in f)]
        else:
            cells = ["–"] * len(columns)
            links = [f'<span class="failed">{html.escape(w["failed"])}</span>', ""]
        rows.append("<tr>" + f"<td>{html.escape(result.key)}</td>"
                    + "".join(f"<td>{c}</td>" for c in cells) + "".join(f"<td>{c}</td>" for c in links) + "</tr>")
    parts.append(f'<table class="index"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    failures = [r for r in results if not r.ok]
    if failures:
        items = "".join(f'<li><span class="failed">{html.escape(r.kind)} {html.escape(r.key)}</span>: '
                        f"<code>{html.escape(r.error or '')}</code></li>" for r in failures)
        parts.append(f"<h2>{html.escape(w['failures'])}</h2><ul>{items}</ul>")
    text = page(w["title"], "\n".join(parts), language=language, footer=footer)
    assert_offline(text)
    return text


def write_index(run_dir: Path, scored: Scored, results: Sequence[JobResult], run_id: str) -> Path:
    """Write ``index.html`` into ``run_dir`` atomically."""
    params = scored.params
    language = params.report.language
    heading = f"{params.name} · {params.as_of.isoformat()} · run {run_id}"
    footer = f"segkit · run {run_id}"
    return write_text(run_dir / INDEX, render_index(results, language, heading, footer))
