"""Reading a bank's export and writing customer tables.

:func:`read_table` reads CSV, a Parquet file, or a folder of Parquet files
(e.g. a table partitioned by branch); :func:`load_customers` reads, maps
(:mod:`segkit.data.mapping`) and validates (:mod:`segkit.data.schema`) in one
call; :func:`write_table` writes CSV or Parquet atomically.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from segkit.config import MappingParams
from segkit.errors import SegkitError
from segkit.fileio import atomic_path

__all__ = ["read_table", "write_table", "load_customers"]

CSV_SUFFIXES = (".csv", ".csv.gz", ".txt")
PARQUET_SUFFIXES = (".parquet", ".pq")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
"""CSV encodings tried in order: UTF-8 (with or without BOM), then the Chinese national standard."""
CSV_OTHER_SEPARATORS = (";", "\t", "|")
"""Tried in order when a CSV file reads as one column whose name holds one of them (exports from European or legacy systems)."""


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in CSV_SUFFIXES + PARQUET_SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def _read_csv_as(path: Path, dtype: dict[str, str], encoding: str, separator: str) -> pd.DataFrame:
    # index_col=False: a row with more fields than the header must not turn the
    # first columns into an index (which shifts every value one column left)
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            return pd.read_csv(path, sep=separator, dtype=dtype, encoding=encoding, index_col=False, low_memory=False)
        except pd.errors.ParserWarning:
            raise SegkitError(
                f"{path}: some rows have more fields than the header line; "
                "a value that contains the separator must be quoted"
            ) from None


def _read_csv(path: Path, text_columns: Iterable[str]) -> pd.DataFrame:
    dtype = dict.fromkeys(text_columns, "str")
    for encoding in CSV_ENCODINGS:
        try:
            frame = _read_csv_as(path, dtype, encoding, ",")
        except UnicodeDecodeError:
            continue
        header = str(frame.columns[0]) if len(frame.columns) == 1 else ""
        for separator in CSV_OTHER_SEPARATORS:
            if separator in header:
                return _read_csv_as(path, dtype, encoding, separator)
        return frame
    raise SegkitError(f"{path}: cannot decode the file as UTF-8 or GB18030 text")


def _read_parquet(path: Path) -> pd.DataFrame:
    if path.is_dir() and not any(path.rglob("*.parquet")) and not any(path.rglob("*.pq")):
        raise SegkitError(f"{path}: folder holds no Parquet files")
    frame = pd.read_parquet(path)
    # partition columns of a hive-style folder come back as categories
    categorical = [name for name, dtype in frame.dtypes.items() if isinstance(dtype, pd.CategoricalDtype)]
    return frame.astype(dict.fromkeys(categorical, "str")) if categorical else frame


def read_table(path: str | os.PathLike[str], text_columns: Iterable[str] = ()) -> pd.DataFrame:
    """Read a table from CSV, a Parquet file, or a folder of Parquet files.

    Parameters
    ----------
    path : path
        A ``.csv`` (``.csv.gz``, ``.txt``) file, a ``.parquet`` (``.pq``)
        file, or a folder of Parquet files.
    text_columns : iterable of str
        CSV columns to read as text whatever they look like (ids with leading
        zeros, phone numbers); names absent from the file are ignored.

    Returns
    -------
    DataFrame
        The table as stored; no column is renamed or checked.

    Raises
    ------
    SegkitError
        If the path does not exist, the file is empty, the suffix is not one
        of the above, or the file cannot be parsed (including a CSV row with
        more fields than the header); the message names the path.
    """
    path = Path(path)
    if not path.exists():
        raise SegkitError(f"{path}: no such file or folder")
    suffix = _suffix(path)
    if path.is_file() and path.stat().st_size == 0:
        raise SegkitError(f"{path}: the file is empty")
    try:
        if path.is_dir():
            return _read_parquet(path)
        if suffix in CSV_SUFFIXES:
            return _read_csv(path, text_columns)
        if suffix in PARQUET_SUFFIXES:
            return _read_parquet(path)
    except SegkitError:
        raise
    except pd.errors.EmptyDataError:
        raise SegkitError(f"{path}: the file is empty (no header line)") from None
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        # pyarrow's ArrowInvalid is a ValueError; permission problems are OSErrors
        raise SegkitError(f"{path}: cannot read the file: {str(exc).strip()}") from None
    known = ", ".join(CSV_SUFFIXES + PARQUET_SUFFIXES)
    raise SegkitError(f"{path}: unknown file type {suffix or '(no suffix)'!r}; expected one of {known} or a folder of Parquet files")


def write_table(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``frame`` as CSV or Parquet (chosen by the suffix), atomically.

    Parameters
    ----------
    frame : DataFrame
        The table; its index is not written.
    path : path
        Ends in ``.csv`` / ``.csv.gz`` (UTF-8) or ``.parquet`` / ``.pq``.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    SegkitError
        If the suffix is neither CSV nor Parquet, or the file cannot be
        written (no permission, no such folder, disk full); nothing is left
        behind then.
    """
    path = Path(path)
    suffix = _suffix(path)
    if suffix not in CSV_SUFFIXES + PARQUET_SUFFIXES:
        raise SegkitError(f"{path}: cannot write {suffix or '(no suffix)'!r}; use .csv or .parquet")
    try:
        with atomic_path(path) as tmp:
            if suffix in PARQUET_SUFFIXES:
                frame.to_parquet(tmp, index=False)
            else:
                frame.to_csv(tmp, index=False, encoding="utf-8", compression="gzip" if suffix == ".csv.gz" else None)
    except OSError as exc:  # a folder that cannot be created or written, a full disk
        raise SegkitError(f"{path}: cannot write the file: {exc.strerror or exc}") from None
    return path


def load_customers(
    path: str | os.PathLike[str], mapping: MappingParams | None = None, keep: Iterable[str] = ()
) -> pd.DataFrame:
    """Read a bank's export, map it to the canonical table and validate it.

    Parameters
    ----------
    path : path
        CSV, Parquet, or a folder of Parquet files.
    mapping : MappingParams, optional
        How the export's columns become canonical ones; ``None`` when the
        export already uses canonical names.
    keep : iterable of str
        Non-canonical columns to keep when present, without making them model
        features: the columns the rules read (:func:`segkit.rules.rule_inputs`).

    Returns
    -------
    DataFrame
        The validated canonical customer table (see
        :func:`segkit.data.schema.validate_customers`).

    Raises
    ------
    SegkitError
        If the file cannot be read or the mapping does not fit it.
    DataValidationError
        If the mapped table breaks the data contract; lists every problem.
    """
    from segkit.data.mapping import apply_mapping, source_text_columns
    from segkit.data.schema import validate_customers

    mapping = mapping or MappingParams()
    raw = read_table(path, text_columns=source_text_columns(mapping))
    return validate_customers(apply_mapping(raw, mapping, keep), source=str(path))
