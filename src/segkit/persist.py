"""Save and load fitted models with skops, never with bare pickle.

Loading trusts only types from segkit, scikit-learn, NumPy and SciPy (and
``functools.partial`` of those); a file that asks for anything else is refused
before any of it is executed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import skops.io as sio

from segkit.errors import SegkitError
from segkit.fileio import write_bytes

TRUSTED_PREFIXES = ("segkit.", "sklearn.", "numpy.", "scipy.")
TRUSTED_NAMES = ("functools.partial",)
"""Trusted as such: skops lists the function a partial wraps as a type of its own, checked above
(gradient boosting with categorical features holds ``partial(sklearn...check_array)``)."""


def save_model(model: Any, path: str | os.PathLike[str]) -> Path:
    """Write ``model`` to ``path`` in skops format, atomically."""
    return write_bytes(path, sio.dumps(model))


def load_model(path: str | os.PathLike[str]) -> Any:
    """Load a model saved by :func:`save_model`.

    Raises
    ------
    SegkitError
        If the file is missing or names a type outside segkit, scikit-learn,
        NumPy and SciPy.
    """
    path = Path(path)
    if not path.is_file():
        raise SegkitError(f"model file not found: {path}")
    untrusted = sio.get_untrusted_types(file=path)
    refused = [name for name in untrusted if not name.startswith(TRUSTED_PREFIXES) and name not in TRUSTED_NAMES]
    if refused:
        raise SegkitError(f"{path}: refusing to load untrusted types: {', '.join(sorted(refused))}")
    return sio.load(path, trusted=untrusted)
