"""Executed notebook -> one self-contained, offline HTML page.

A bank intranet has no internet, so the page makes no external request: no
require.js, no MathJax, no web fonts, no CDN stylesheet. The notebook is
rendered with nbconvert's ``basic`` template (outputs only: code, prompts and
the parameters cells are dropped; so is anything written to stderr) and
wrapped in a small page with inline CSS. Charts are inline SVG.

The exporter is built once per process (importing nbconvert costs seconds);
:func:`export_html` reuses it.
"""

from __future__ import annotations

import copy
import html
import re
from functools import lru_cache
from typing import Any

import nbformat

DROPPED_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell"})

EXTERNAL_REFERENCE = re.compile(
    r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)

CSS = """
:root { --ink: #1d2733; --muted: #5f6b7a; --line: #dde3ea; --accent: #1f5a94; --bad: #b23a48; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #f6f8fa;
  font: 14px/1.55 "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
    "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; background: #fff;
  box-shadow: 0 0 0 1px var(--line); min-height: 100vh; }
h1 { font-size: 24px; margin: 8px 0 4px; } h2 { font-size: 19px; margin: 28px 0 8px;
  padding-bottom: 4px; border-bottom: 2px solid var(--accent); } h3 { font-size: 16px; margin: 18px 0 6px; }
a { color: var(--accent); }
p, li { max-width: 80ch; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: right; vertical-align: top; }
th { background: #eef2f6; font-weight: 600; }
td:first-child, th:first-child { text-align: left; }
tbody tr:nth-child(even) { background: #fafbfc; }
table.dataframe thead th { text-align: right; }
svg { max-width: 100%; height: auto; }
.jp-RenderedSVG, .jp-RenderedImage { margin: 8px 0 16px; }
.jp-OutputArea-output pre { white-space: pre-wrap; background: #f6f8fa; padding: 8px; border-radius: 4px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 12px 0 20px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; background: #fbfcfd; }
.kpi .value { font-size: 20px; font-weight: 700; } .kpi .label { color: var(--muted); font-size: 12px; }
.kpi .bank { color: var(--muted); font-size: 12px; }
.note { color: var(--muted); font-size: 12px; }
.failed { color: var(--bad); font-weight: 600; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { body { background: #fff; } main { box-shadow: none; } }
"""

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<main>
{body}
<footer>{footer}</footer>
</main>
</body>
</html>
"""


def page(title: str, body: str, language: str = "zh", footer: str = "") -> str:
    """Wrap an HTML fragment in segkit's offline page (inline CSS, no scripts).

    The page's Content-Security-Policy forbids every network request, so even
    a stray external reference cannot be fetched.
    """
    return PAGE.format(
        lang="zh-CN" if language == "zh" else "en",
        title=html.escape(title),
        css=CSS,
        body=body,
        footer=html.escape(footer),
    )


@lru_cache(maxsize=1)
def _exporter() -> Any:
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class OutputsExporter(HTMLExporter):
        """``HTMLExporter`` without its closing BeautifulSoup pass.

        That pass re-parses the whole page to add ``alt`` text to images and
        ``tabindex`` to JupyterLab input/output wrappers; segkit's charts carry
        their own ``alt`` and the ``basic`` template has no such wrappers, so it
        would change nothing but costs more than the rendering itself.
        """

        def from_notebook_node(self, nb: nbformat.NotebookNode, resources: dict | None = None,
                               **kw: Any) -> tuple[str, dict]:
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", Highlight2HTML(pygments_lexer="ipython3", parent=self))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return OutputsExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_raw=True,
        anchor_link_text="",
    )


def prepare(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` without parameters cells and stderr output."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        if DROPPED_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "code":
            cell.outputs = [out for out in cell.outputs if not (out.output_type == "stream" and out.name == "stderr")]
        cells.append(cell)
    nb.cells = cells
    return nb


def body_html(nb: nbformat.NotebookNode) -> str:
    """Render a notebook's markdown and outputs as an HTML fragment."""
    body, _resources = _exporter().from_notebook_node(prepare(nb))
    return body


def export_html(nb: nbformat.NotebookNode, title: str, language: str = "zh", footer: str = "") -> str:
    """Return the self-contained HTML page of an executed notebook.

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook.
    title : str
        The page title.
    language : {"zh", "en"}
        The page language (``lang`` attribute).
    footer : str
        Plain text shown at the bottom (e.g. the run id).

    Raises
    ------
    ValueError
        If the page would reference anything outside itself.
    """
    text = page(title, body_html(nb), language=language, footer=footer)
    assert_offline(text)
    return text


def external_references(text: str) -> list[str]:
    """Return the places where ``text`` refers to a network resource."""
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in EXTERNAL_REFERENCE.finditer(text)]


def assert_offline(text: str) -> None:
    """Raise ``ValueError`` if an HTML page would make a network request."""
    found = external_references(text)
    if found:
        raise ValueError(f"HTML refers to external resources: {found[:3]}")
