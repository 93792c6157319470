"""Charts for people: a bundled CJK font, stable SVG, readable numbers.

Every chart is a plain :class:`~matplotlib.figure.Figure` (no pyplot state, so
nothing is shown twice in Jupyter) rendered to SVG text, so an executed notebook holds the same bytes on every run: the SVG
element ids come from a fixed ``svg.hashsalt``, the date metadata is dropped,
and glyphs are written as paths (no font is needed to view the file).

Chinese labels use the bundled "Segkit Sans SC" (an OFL subset of Noto Sans
CJK SC, see ``segkit/fonts/README.md``) as the per-glyph fallback of DejaVu
Sans, so they render on a machine without any system CJK font.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from importlib import resources

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

FONT_FILE = "SegkitSansSC-Regular.otf"
FONT_FAMILY = "Segkit Sans SC"
SVG_HASHSALT = "segkit"
PALETTE = ["#1f5a94", "#d9822b", "#3a8f5c", "#b23a48", "#6b5b95", "#8c8c8c", "#c9a227", "#2a9d8f", "#e76f51", "#264653"]

_STYLE = {
    "font.family": ["DejaVu Sans", FONT_FAMILY],
    "font.size": 10,
    "axes.unicode_minus": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.titleweight": "normal",
    "axes.titlesize": 12,
    "figure.figsize": (7.0, 3.6),
    "figure.dpi": 96,
    "svg.fonttype": "path",
    "svg.hashsalt": SVG_HASHSALT,
    "svg.image_inline": True,
}


def font_path() -> str:
    """Return the path of the bundled CJK font file."""
    return str(resources.files("segkit") / "fonts" / FONT_FILE)


def use_style() -> None:
    """Register the bundled font and set segkit's matplotlib style.

    Safe to call more than once.
    """
    registered = {entry.fname for entry in font_manager.fontManager.ttflist}
    path = font_path()
    if path not in registered:
        font_manager.fontManager.addfont(path)
    matplotlib.rcParams.update(_STYLE)


# ----------------------------------------------------------------- numbers
def format_number(value: float, language: str = "zh", digits: int = 1) -> str:
    """Format a count or an amount for people.

    Chinese uses 万 (10^4) and 亿 (10^8); English uses K, M and B.

    Examples
    --------
    >>> format_number(123456, "zh")
    '12.3万'
    >>> format_number(250_000_000, "zh")
    '2.5亿'
    >>> format_number(1_234_567, "en")
    '1.2M'
    >>> format_number(999, "en")
    '999'
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "–"
    value = float(value)
    size = abs(value)
    units = [(1e8, "亿"), (1e4, "万")] if language == "zh" else [(1e9, "B"), (1e6, "M"), (1e3, "K")]
    for scale, suffix in units:
        if size >= scale:
            text = f"{value / scale:,.{digits}f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def format_share(value: float, digits: int = 1) -> str:
    """Format a share in [0, 1] as a percentage."""
    if value is None or pd.isna(value):
        return "–"
    return f"{100 * float(value):.{digits}f}%"


def number_axis(language: str) -> FuncFormatter:
    """A tick formatter that writes axis values with :func:`format_number`."""
    return FuncFormatter(lambda value, _pos: format_number(value, language))


# --------------------------------------------------------------------- SVG
def _figure(figsize: tuple[float, float]):  # noqa: ANN202 - (Figure, Axes)
    """Return a new figure and its single axes, outside pyplot's global state."""
    fig = Figure(figsize=figsize)
    return fig, fig.subplots()


def warm_figure() -> Figure:
    """A tiny figure with Latin and CJK text (rendering it loads both fonts)."""
    fig, ax = _figure((1.0, 1.0))
    ax.set_title("客户 0")
    return fig


def to_svg(fig: Figure) -> str:
    """Render ``fig`` as deterministic SVG text."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buffer.getvalue()


class Chart:
    """An SVG chart for Jupyter and for the HTML page.

    Displayed as ``text/html`` (an ``<img>`` with the title as alternative
    text and the SVG as a data URI, so the page needs nothing else) and as
    ``image/svg+xml``; both are compared by nbval.
    """

    def __init__(self, svg: str, title: str) -> None:
        self.svg = svg
        self.title = title

    def img(self) -> str:
        """The chart as a self-contained ``<img>`` element."""
        data = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f'<img class="chart" alt="{html.escape(self.title)}" src="data:image/svg+xml;base64,{data}">'

    def _repr_mimebundle_(self, include=None, exclude=None):  # noqa: ANN001, ANN202 - IPython protocol
        return {"text/html": self.img(), "image/svg+xml": self.svg, "text/plain": f"[chart] {self.title}"}


def chart(fig: Figure, title: str) -> Chart:
    """Wrap a figure as a displayable :class:`Chart`."""
    return Chart(to_svg(fig), title)


# ------------------------------------------------------------------ charts
def compare_bars(frame: pd.DataFrame | dict[str, pd.DataFrame], title: str, language: str,
                 percent: bool = True) -> Chart:
    """Horizontal grouped bars: one row per category, one bar per column, values written on the bars.

    Parameters
    ----------
    frame : DataFrame or dict of DataFrame
        Index = categories (top to bottom), columns = series (e.g. branch,
        bank). A dict draws one panel per entry, side by side, sharing the
        categories (its keys are the panel titles).
    title : str
        Chart title.
    language : {"zh", "en"}
        Number format of the values.
    percent : bool
        Values are shares in [0, 1], shown as percentages.
    """
    use_style()
    panels = frame if isinstance(frame, dict) else {"": frame}
    first = next(iter(panels.values()))
    n_rows, n_cols = first.shape
    fig = Figure(figsize=(3.6 * len(panels) + 1.6, max(1.8, 0.34 * n_rows * max(n_cols, 1) + 0.9)))
    axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
    height = 0.8 / max(n_cols, 1)
    positions = np.arange(n_rows)
    for ax, (name, table) in zip(axes, panels.items(), strict=True):
        for i, column in enumerate(table.columns):
            values = table[column].astype(float).to_numpy()
            drawn = ax.barh(positions + (i - (n_cols - 1) / 2) * height, values, height=height, label=str(column),
                            color=PALETTE[i % len(PALETTE)])
            labels = [format_share(v) if percent else format_number(v, language) for v in values]
            ax.bar_label(drawn, labels=labels, padding=2, fontsize=8)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        ax.margins(x=0.22)
        if name:
            ax.set_title(name, fontsize=10)
    axes[0].set_yticks(positions, [str(label) for label in first.index])
    axes[0].invert_yaxis()
    if n_cols > 1:
        axes[-1].legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.suptitle(title, fontsize=12)
    return chart(fig, title)


def bars(series: pd.Series, title: str, language: str, color: str = PALETTE[0]) -> Chart:
    """Vertical bars of one series, labelled with readable numbers."""
    use_style()
    fig, ax = _figure((7.0, 3.2))
    values = series.astype(float).to_numpy()
    drawn = ax.bar([str(label) for label in series.index], values, color=color)
    ax.bar_label(drawn, labels=[format_number(v, language) for v in values], padding=2, fontsize=8)
    ax.yaxis.set_visible(False)
    ax.spines["left"].set_visible(False)
    ax.margins(y=0.15)
    if len(series) > 6:
        ax.tick_params(axis="x", labelrotation=30)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
    ax.set_title(title)
    return chart(fig, title)


def heatmap(table: pd.DataFrame, title: str, language: str, xlabel: str = "", ylabel: str = "") -> Chart:
    """A count matrix with each cell's value written in it."""
    use_style()
    n_rows, n_cols = table.shape
    fig, ax = _figure((max(4.0, 1.1 * n_cols + 2.0), max(2.4, 0.55 * n_rows + 1.2)))
    values = table.astype(float).to_numpy()
    ax.imshow(values, cmap="Blues", aspect="auto")
    peak = np.nanmax(values) if values.size else 0.0
    for (row, col), value in np.ndenumerate(values):
        colour = "white" if peak and value > 0.6 * peak else "#222222"
        ax.text(col, row, format_number(value, language), ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks(range(n_cols), [str(c) for c in table.columns])
    ax.set_yticks(range(n_rows), [str(i) for i in table.index])
    ax.spines[:].set_visible(False)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return chart(fig, title)


def book_chart(books: pd.DataFrame, cap: float, title: str, language: str, cap_label: str) -> Chart:
    """Customers per manager against the book cap (a dashed line)."""
    use_style()
    fig, ax = _figure((7.0, max(1.8, 0.3 * len(books) + 1.0)))
    counts = books["customers"].astype(float).to_numpy()
    colours = [PALETTE[3] if value > cap else PALETTE[0] for value in counts]
    drawn = ax.barh([str(m) for m in books["manager_id"]], counts, color=colours)
    ax.bar_label(drawn, labels=[format_number(v, language) for v in counts], padding=2, fontsize=8)
    ax.axvline(cap, color=PALETTE[3], linestyle="--", linewidth=1, label=cap_label)
    ax.invert_yaxis()
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)
    ax.margins(x=0.12)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(title)
    return chart(fig, title)


def scatter(points: pd.DataFrame, x: str, y: str, size: str, label: str, title: str, language: str,
            highlight: Sequence[str] = ()) -> Chart:
    """A labelled bubble chart (e.g. clusters: churn risk against mean AUM)."""
    use_style()
    fig, ax = _figure((7.0, 4.0))
    sizes = points[size].astype(float)
    scaled = 60 + 900 * sizes / max(float(sizes.max()), 1.0)
    colours = [PALETTE[3] if str(v) in set(highlight) else PALETTE[0] for v in points[label]]
    ax.scatter(points[x].astype(float), points[y].astype(float), s=scaled, c=colours, alpha=0.6, edgecolors="white")
    for name, px, py in zip(points[label], points[x].astype(float), points[y].astype(float), strict=True):
        ax.annotate(str(name), (px, py), fontsize=8, ha="center", va="bottom", xytext=(0, 6), textcoords="offset points")
    ax.xaxis.set_major_formatter(number_axis(language))
    ax.margins(0.15)
    ax.set_title(title)
    return chart(fig, title)
