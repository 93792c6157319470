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
from matplotlib import font_manager, rcParams
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import offset_copy

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


# ------------------------------------------------------------------ layout
# Charts are laid out once from measured text widths (no "tight" bounding
# box: that draws every figure twice).
PAD = 0.08  # inches around the drawing
TICK = 7.0  # points between an axis and its tick labels (tick length + pad)
LINE = 1.3  # line height, in font sizes


def text_width(text: str, size: float) -> float:
    """Width of one line of ``text`` at ``size`` points, in inches (the bundled CJK font as fallback)."""
    if not text:
        return 0.0
    width, _height, _descent = text_to_path.get_text_width_height_descent(text, FontProperties(size=size), ismath=False)
    return width / 72


def _widest(labels: Sequence[object], size: float) -> float:
    return max((text_width(str(label), size) for label in labels), default=0.0)


def _lines(size: float, count: int = 1) -> float:
    """Height of ``count`` lines at ``size`` points, in inches."""
    return count * LINE * size / 72


def _title(size: float) -> float:
    """Height of a title at ``size`` points above an axes, in inches."""
    return (rcParams["axes.titlepad"] + LINE * size) / 72


def legend_width(labels: Sequence[object], size: float = 10) -> float:
    """Width of a frameless legend of ``labels`` (handle, gap, text, border), in inches."""
    return _widest(labels, size) + 3.6 * size / 72


def _figure(plot: tuple[float, float], left: float, right: float, top: float, bottom: float,
            ncols: int = 1, gap: float = 0.0, **kwargs: object):  # noqa: ANN202 - (Figure, array of Axes)
    """A figure whose plot area is ``plot`` inches (per column), with margins in inches.

    Outside pyplot's global state; ``kwargs`` go to :meth:`Figure.subplots`.
    """
    width = PAD + left + ncols * plot[0] + (ncols - 1) * gap + right + PAD
    height = PAD + top + plot[1] + bottom + PAD
    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(left=(PAD + left) / width, right=1 - (PAD + right) / width,
                        bottom=(PAD + bottom) / height, top=1 - (PAD + top) / height, wspace=gap / plot[0])
    return fig, fig.subplots(1, ncols, squeeze=False, **kwargs)[0]


def _value_labels(ax, positions, values, labels, horizontal: bool) -> None:  # noqa: ANN001
    """Write ``labels`` just past the end of each bar (cheaper than ``bar_label``)."""
    if horizontal:
        shift = offset_copy(ax.transData, fig=ax.figure, x=2, y=0, units="points")
        for y, x, label in zip(positions, values, labels, strict=True):
            ax.text(x if np.isfinite(x) else 0.0, y, label, transform=shift, ha="left", va="center", fontsize=8)
    else:
        shift = offset_copy(ax.transData, fig=ax.figure, x=0, y=2, units="points")
        for x, y, label in zip(positions, values, labels, strict=True):
            ax.text(x, y if np.isfinite(y) else 0.0, label, transform=shift, ha="center", va="bottom", fontsize=8)


# --------------------------------------------------------------------- SVG
def warm_figure() -> Figure:
    """A tiny figure with Latin and CJK text (rendering it loads both fonts)."""
    fig = Figure(figsize=(1.0, 1.0))
    fig.subplots().set_title("客户 0")
    text_width("客户 0", 10)
    return fig


def to_svg(fig: Figure, tight: bool = False) -> str:
    """Render ``fig`` as deterministic SVG text (``tight``: cropped to what is drawn, at the cost of a second draw)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight" if tight else None)
    return buffer.getvalue()


class Chart:
    """An SVG chart for Jupyter and for the HTML page.

    Displayed as ``text/html``: an ``<img>`` with the title as alternative
    text and the SVG as a data URI, so the page needs nothing else and nbval
    compares the chart itself (it skips images, not HTML). The same SVG as
    ``image/svg+xml`` would only double every notebook's size.
    """

    def __init__(self, svg: str, title: str) -> None:
        self.svg = svg
        self.title = title

    def img(self) -> str:
        """The chart as a self-contained ``<img>`` element."""
        data = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f'<img class="chart" alt="{html.escape(self.title)}" src="data:image/svg+xml;base64,{data}">'

    def _repr_mimebundle_(self, include=None, exclude=None):  # noqa: ANN001, ANN202 - IPython protocol
        return {"text/html": self.img(), "text/plain": f"[chart] {self.title}"}


def chart(fig: Figure, title: str, tight: bool = False) -> Chart:
    """Wrap a figure as a displayable :class:`Chart`."""
    return Chart(to_svg(fig, tight), title)


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
    names = [str(label) for label in first.index]
    top = _title(12) + (_title(10) if any(panels) else 0.0)
    right = legend_width(first.columns) if n_cols > 1 else 0.0
    plot = (3.4, max(0.9, 0.34 * n_rows * max(n_cols, 1)))
    fig, axes = _figure(plot, _widest(names, 10) + TICK / 72, right, top, 0.0, ncols=len(panels), gap=0.25,
                        sharey=True)
    height = 0.8 / max(n_cols, 1)
    positions = np.arange(n_rows)
    for ax, (name, table) in zip(axes, panels.items(), strict=True):
        for i, column in enumerate(table.columns):
            values = table[column].astype(float).to_numpy()
            where = positions + (i - (n_cols - 1) / 2) * height
            ax.barh(where, values, height=height, label=str(column), color=PALETTE[i % len(PALETTE)])
            labels = [format_share(v) if percent else format_number(v, language) for v in values]
            _value_labels(ax, where, values, labels, horizontal=True)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        ax.margins(x=0.22)
        if name:
            ax.set_title(name, fontsize=10)
    axes[0].set_yticks(positions, names)
    axes[0].invert_yaxis()
    if n_cols > 1:
        axes[-1].legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.suptitle(title, fontsize=12, y=1 - PAD / fig.get_figheight(), va="top")
    return chart(fig, title)


def bars(series: pd.Series, title: str, language: str, color: str = PALETTE[0]) -> Chart:
    """Vertical bars of one series, labelled with readable numbers."""
    use_style()
    names = [str(label) for label in series.index]
    rotate = len(series) > 6
    label_width = _widest(names, 10)
    bottom = TICK / 72 + (0.5 * label_width + _lines(10) if rotate else _lines(10))
    fig, (ax,) = _figure((6.4, 2.4), 0.0, 0.0, _title(12), bottom)
    values = series.astype(float).to_numpy()
    positions = np.arange(len(series))
    ax.bar(positions, values, color=color)
    _value_labels(ax, positions, values, [format_number(v, language) for v in values], horizontal=False)
    ax.set_xticks(positions, names)
    ax.yaxis.set_visible(False)
    ax.spines["left"].set_visible(False)
    ax.margins(y=0.15)
    if rotate:
        ax.tick_params(axis="x", labelrotation=30)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
    ax.set_title(title)
    return chart(fig, title)


def heatmap(table: pd.DataFrame, title: str, language: str, xlabel: str = "", ylabel: str = "") -> Chart:
    """A count matrix with each cell's value written in it."""
    use_style()
    n_rows, n_cols = table.shape
    columns, rows = [str(c) for c in table.columns], [str(i) for i in table.index]
    cell = max(1.1, _widest(columns, 10) + 0.2)
    left = _widest(rows, 10) + TICK / 72 + (_lines(10) if ylabel else 0.0)
    bottom = _lines(10) + TICK / 72 + (_lines(10) if xlabel else 0.0)
    fig, (ax,) = _figure((cell * n_cols, 0.5 * n_rows), left, 0.0, _title(12), bottom)
    values = table.astype(float).to_numpy()
    ax.imshow(values, cmap="Blues", aspect="auto")
    peak = np.nanmax(values) if values.size else 0.0
    for (row, col), value in np.ndenumerate(values):
        colour = "white" if peak and value > 0.6 * peak else "#222222"
        ax.text(col, row, format_number(value, language), ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks(range(n_cols), columns)
    ax.set_yticks(range(n_rows), rows)
    ax.spines[:].set_visible(False)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return chart(fig, title)


def book_chart(books: pd.DataFrame, cap: float, title: str, language: str, cap_label: str) -> Chart:
    """Customers per manager against the book cap (a dashed line)."""
    use_style()
    managers = [str(m) for m in books["manager_id"]]
    plot = (5.0, max(0.8, 0.3 * len(books)))
    fig, (ax,) = _figure(plot, _widest(managers, 10) + TICK / 72, legend_width([cap_label]), _title(12), 0.0)
    counts = books["customers"].astype(float).to_numpy()
    colours = [PALETTE[3] if value > cap else PALETTE[0] for value in counts]
    positions = np.arange(len(books))
    ax.barh(positions, counts, color=colours)
    _value_labels(ax, positions, counts, [format_number(v, language) for v in counts], horizontal=True)
    ax.set_yticks(positions, managers)
    ax.axvline(cap, color=PALETTE[3], linestyle="--", linewidth=1, label=cap_label)
    ax.invert_yaxis()
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)
    ax.margins(x=0.12)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(title)
    return chart(fig, title)


def scatter(points: pd.DataFrame, x: str, y: str, size: str, label: str, title: str, language: str,
            highlight: Sequence[str] = (), xlabel: str = "", ylabel: str = "") -> Chart:
    """A labelled bubble chart (e.g. clusters: churn risk against mean AUM)."""
    use_style()
    fig = Figure(figsize=(7.0, 4.0))
    ax = fig.subplots()
    sizes = points[size].astype(float)
    scaled = 60 + 900 * sizes / max(float(sizes.max()), 1.0)
    colours = [PALETTE[3] if str(v) in set(highlight) else PALETTE[0] for v in points[label]]
    ax.scatter(points[x].astype(float), points[y].astype(float), s=scaled, c=colours, alpha=0.6, edgecolors="white")
    for name, px, py in zip(points[label], points[x].astype(float), points[y].astype(float), strict=True):
        ax.annotate(str(name), (px, py), fontsize=8, ha="center", va="bottom", xytext=(0, 6), textcoords="offset points")
    ax.xaxis.set_major_formatter(number_axis(language))
    ax.margins(0.15)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return chart(fig, title, tight=True)


def calibration(curve: pd.DataFrame, title: str, language: str, xlabel: str, ylabel: str) -> Chart:
    """A reliability diagram: mean predicted risk against the observed rate per score group, with the diagonal."""
    use_style()
    predicted, observed = curve["mean_score"].astype(float), curve["churn_rate"].astype(float)
    top = max(float(predicted.max()), float(observed.max()), 0.05) * 1.05
    fig = Figure(figsize=(4.6, 4.0))
    ax = fig.subplots()
    ax.plot([0, top], [0, top], linestyle="--", linewidth=1, color=PALETTE[5])
    ax.plot(predicted, observed, marker="o", color=PALETTE[0])
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    share = FuncFormatter(lambda value, _pos: format_share(value, 0))
    ax.xaxis.set_major_formatter(share)
    ax.yaxis.set_major_formatter(share)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return chart(fig, title, tight=True)
