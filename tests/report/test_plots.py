"""Charts: bundled CJK font, stable SVG, numbers for people."""

from __future__ import annotations

import base64
import re
import warnings

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib import font_manager

from segkit.report import plots


@pytest.mark.parametrize(
    ("value", "language", "text"),
    [
        (123456, "zh", "12.3万"),
        (250_000_000, "zh", "2.5亿"),
        (10_000, "zh", "1万"),
        (9_999, "zh", "9,999"),
        (-52_000, "zh", "-5.2万"),
        (1_234_567, "en", "1.2M"),
        (3_400, "en", "3.4K"),
        (2_500_000_000, "en", "2.5B"),
        (999, "en", "999"),
        (float("nan"), "en", "–"),
    ],
)
def test_numbers_are_formatted_for_people(value, language, text):
    assert plots.format_number(value, language) == text


@given(st.floats(min_value=1e4, max_value=1e12))
def test_chinese_units_round_trip_within_rounding(value):
    text = plots.format_number(value, "zh", digits=3)
    scale = 1e8 if text.endswith("亿") else 1e4
    assert text[-1] in "万亿"
    assert abs(float(text[:-1].replace(",", "")) * scale - value) <= 0.0005 * scale


def test_bundled_font_is_the_cjk_fallback():
    plots.use_style()
    found = font_manager.findfont(font_manager.FontProperties(family=plots.FONT_FAMILY), fallback_to_default=False)
    assert found == plots.font_path()


def test_chinese_labels_render_with_the_bundled_font_and_no_missing_glyph_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chart = plots.bars(pd.Series([3.0, 5.0], index=["核心客户", "大众客户"]), "客户分层", "zh")
    assert not [w for w in caught if "missing from font" in str(w.message)]
    glyph_fonts = set(re.findall(r'id="([A-Za-z-]+)-[0-9a-f]+"', chart.svg))
    assert "SegkitSansSC-Regular" in glyph_fonts


def test_svg_is_identical_across_renders_and_has_no_date():
    frame = pd.DataFrame({"本行": [0.2, 0.8], "全行": [0.3, 0.7]}, index=["核心", "大众"])
    first = plots.compare_bars(frame, "占比", "zh").svg
    second = plots.compare_bars(frame, "占比", "zh").svg
    assert first == second
    assert "<dc:date>" not in first


def test_chart_displays_as_an_img_of_its_svg_with_alternative_text():
    chart = plots.heatmap(pd.DataFrame([[1, 2], [3, 4]], index=["a", "b"], columns=["c", "d"]), "m", "en")
    bundle = chart._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"} and bundle["text/plain"] == "[chart] m"
    prefix = '<img class="chart" alt="m" src="data:image/svg+xml;base64,'
    assert bundle["text/html"].startswith(prefix)
    assert base64.b64decode(bundle["text/html"][len(prefix):-2]).decode("utf-8") == chart.svg  # nbval compares the chart
    assert chart.svg.lstrip().startswith("<?xml")
