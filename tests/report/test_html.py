"""The HTML page: outputs only, no parameters, self-contained and offline."""

from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from segkit.report import plots
from segkit.report.html import assert_offline, export_html, external_references


def _executed_notebook():
    params = new_code_cell('branch_id = "B01"', metadata={"tags": ["parameters"]})
    injected = new_code_cell('branch_id = "SECRET-PARAM"', metadata={"tags": ["injected-parameters"]})
    code = new_code_cell("print_secret_code()")
    code.outputs = [
        new_output("display_data", data={"text/html": "<b>visible table</b>", "text/plain": "x"}),
        new_output("stream", name="stderr", text="a noisy warning"),
        new_output("display_data", data=plots.Chart("<svg xmlns='http://www.w3.org/2000/svg'><rect/></svg>", "a chart")
                   ._repr_mimebundle_()),
    ]
    return new_notebook(cells=[params, injected, new_markdown_cell("## Heading"), code])


def test_page_shows_outputs_but_no_code_parameters_or_stderr():
    page = export_html(_executed_notebook(), "Report", language="en", footer="run 42")
    assert "visible table" in page and "Heading" in page and "run 42" in page
    assert 'alt="a chart"' in page and 'src="data:image/svg+xml;base64,' in page
    for hidden in ("print_secret_code", "SECRET-PARAM", "branch_id", "a noisy warning"):
        assert hidden not in page


def test_page_is_offline_no_scripts_and_a_csp_that_forbids_network():
    page = export_html(_executed_notebook(), "Report")
    assert "<script" not in page.lower()
    assert "require.js" not in page and "mathjax" not in page.lower()
    assert "default-src 'none'" in page
    assert external_references(page) == []


@pytest.mark.parametrize(
    "snippet",
    ['<script src="https://cdn.example.org/x.js">', "<link href='//cdn.example.org/a.css'>",
     "<style>@import 'x.css';</style>", '<img src="http://example.org/a.png">', "url(https://x.org/f.woff)"],
)
def test_external_references_are_refused(snippet):
    with pytest.raises(ValueError, match="external"):
        assert_offline(f"<html>{snippet}</html>")
