"""What the report notebooks import: locating inputs and showing results.

Paths never come from the working directory (nbval starts a kernel in the
notebook's folder, JupyterLab in wherever it was launched): a notebook gets
``scored_dir`` as a parameter, and when it is empty the newest scored folder
of the demo runs under ``<repo>/reports/`` is used (``make demo`` writes one),
or the folder named by the ``SEGKIT_SCORED_DIR`` environment variable.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import display

from segkit.errors import SegkitError
from segkit.report import plots, views
from segkit.scored import Scored

__all__ = ["open_scored", "notebooks_dir", "repo_root", "show", "start", "plots", "views"]


def repo_root() -> Path:
    """The source checkout segkit runs from (``<repo>/src/segkit/report`` -> ``<repo>``)."""
    return Path(__file__).resolve().parents[3]


def notebooks_dir() -> Path:
    """The folder of segkit's report notebooks.

    ``segkit/notebooks/`` in an installed wheel, else ``<repo>/notebooks/`` of
    the source checkout (an editable install).
    """
    candidates = [Path(__file__).resolve().parents[1] / "notebooks", repo_root() / "notebooks"]
    for folder in candidates:
        if (folder / "branch.ipynb").is_file():
            return folder
    raise SegkitError(f"segkit's report notebooks are missing (looked in {', '.join(map(str, candidates))}); reinstall segkit")


def default_scored_dir() -> Path:
    """``$SEGKIT_SCORED_DIR``, else the newest ``<repo>/reports/<as_of>/<run_id>/scored``."""
    if os.environ.get("SEGKIT_SCORED_DIR"):
        return Path(os.environ["SEGKIT_SCORED_DIR"])
    candidates = sorted((repo_root() / "reports").glob("*/*/scored/branches.json"))
    if not candidates:
        raise SegkitError("no scored folder given and none found under reports/: run `make demo` first")
    return candidates[-1].parent


def open_scored(scored_dir: str | os.PathLike[str] | None) -> Scored:
    """Open the scored folder a notebook reports on (see :func:`default_scored_dir`)."""
    return Scored.open(scored_dir if scored_dir else default_scored_dir())


def start() -> None:
    """Set the chart style and quiet table display for a report notebook."""
    plots.use_style()
    pd.set_option("display.max_columns", 30)


_FRESH_FILTERS: list[Any] = []
"""The warning filters of a fresh kernel, kept by :func:`warm` for :func:`recycle`."""


def warm() -> None:
    """Load what the notebooks import and what the first chart needs (style, bundled font) ahead of time.

    A report worker runs this silently in a new kernel before its first
    notebook; it leaves no variables behind.
    """
    import pyarrow.parquet  # noqa: F401 - the reader of the first table

    from segkit.report import sections  # noqa: F401 - what the report notebooks import

    _FRESH_FILTERS[:] = warnings.filters
    plots.use_style()
    plots.to_svg(plots.warm_figure())


def recycle() -> None:
    """Make a used report kernel equal to a fresh, warmed-up one.

    Clears the user namespace, the outputs and the execution count (the
    next notebook's cells count from 1), and puts back the warning filters
    (so a warning shown once is shown again), pandas' options and
    matplotlib's settings of a fresh kernel. Imported modules stay: that is
    the point. A report worker runs this silently between notebooks.
    """
    import matplotlib
    from IPython import get_ipython

    get_ipython().reset(new_session=True)
    warnings.resetwarnings()  # also forgets which warnings were already shown
    warnings.filters[:] = _FRESH_FILTERS
    pd.reset_option("display")
    matplotlib.rc_file_defaults()


def show(*items: object) -> None:
    """Display each item (a chart, a table, an HTML fragment)."""
    for item in items:
        display(item)
