"""Call lists per branch: CSV and XLSX, written atomically and reproducibly.

A call list holds only its branch's customers, with full names and phone
numbers (it is for the branch's own managers; the HTML report masks them).
The XLSX bytes are the same on every run: XlsxWriter stamps its zip entries
with a fixed date and the workbook's creation time is fixed here.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from segkit.fileio import write_bytes
from segkit.report.views import call_list, t

FIXED_TIME = dt.datetime(2000, 1, 1)
SHEET_ROWS = 1_048_575
"""Data rows per worksheet: Excel's limit of 1,048,576 rows, less the header."""


def _headers(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    return frame.rename(columns={column: t(column, language) for column in frame.columns})


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads Chinese correctly)."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def _write_sheet(worksheet: Any, frame: pd.DataFrame) -> None:
    worksheet.write_row(0, 0, [str(column) for column in frame.columns])
    for col, name in enumerate(frame.columns):
        values = frame[name]
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
            numbers = values.astype("float64").to_numpy()
            for row in np.flatnonzero(np.isfinite(numbers)):
                worksheet.write_number(int(row) + 1, col, float(numbers[row]))
            continue
        for row, value in enumerate(values.astype(object).tolist(), start=1):
            if isinstance(value, bool):
                worksheet.write_boolean(row, col, value)
            elif not pd.isna(value):
                worksheet.write_string(row, col, str(value))


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "calls", sheet_rows: int = SHEET_ROWS) -> bytes:
    """An XLSX workbook of ``frame`` (a header row per sheet) whose bytes depend only on its content.

    Numbers are written as numbers, text as text (never read as a formula,
    a number or a link, so ``0123`` and ``=x`` stay as written); missing
    values are empty cells. Rows beyond one sheet's ``sheet_rows`` continue
    on ``<sheet> 2``, ``<sheet> 3``... (Excel holds about a million rows a sheet).
    """
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                     "strings_to_urls": False})
    book.set_properties({"created": FIXED_TIME})
    for number, start in enumerate(range(0, max(len(frame), 1), sheet_rows), start=1):
        part = frame.iloc[start : start + sheet_rows].reset_index(drop=True)
        _write_sheet(book.add_worksheet(sheet if number == 1 else f"{sheet} {number}"), part)
    book.close()
    return out.getvalue()


def write_call_lists(customers: pd.DataFrame, folder: Path, stem: str, language: str = "zh",
                     tier_names: dict[str, str] | None = None) -> list[Path]:
    """Write ``<stem>-calls.csv`` and ``<stem>-calls.xlsx`` for one branch's customers.

    Returns the two paths. Each file is written atomically.
    """
    frame = _headers(call_list(customers, language, tier_names), language)
    return [
        write_bytes(folder / f"{stem}-calls.csv", csv_bytes(frame)),
        write_bytes(folder / f"{stem}-calls.xlsx", xlsx_bytes(frame)),
    ]
