"""Mask personal data before it is shown in a report.

HTML reports travel further than call lists, so they never show a full name
or phone number: a name keeps its first character (``张三丰`` -> ``张**``,
``Alice Smith`` -> ``A*** S****``), a phone number keeps its first three and
last four digits (``13812345678`` -> ``138****5678``). Call lists (CSV/XLSX)
keep the full values: they are for the branch's own managers.
"""

from __future__ import annotations

import pandas as pd

PERSONAL_COLUMNS = ("name", "phone")


def mask_names(names: pd.Series) -> pd.Series:
    """Keep the first character of each word, replace the rest with ``*``.

    Chinese names (no spaces) keep their first character only.
    """
    text = names.astype("str")
    masked = text.str.replace(r"(?<=\w)\w", "*", regex=True)
    return masked.where(names.notna(), names)


def mask_phones(phones: pd.Series) -> pd.Series:
    """Keep the first three and last four digits of each number; hide the rest."""
    digits = phones.astype("str").str.replace(r"\D", "", regex=True)
    long_enough = digits.str.len() >= 8
    masked = digits.str.slice(0, 3) + digits.str.slice(3, -4).str.replace(r"\d", "*", regex=True) + digits.str.slice(-4)
    short = digits.str.replace(r"\d", "*", regex=True)
    return masked.where(long_enough, short).where(phones.notna(), phones)


def mask_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with its ``name`` and ``phone`` columns masked."""
    updates = {}
    if "name" in frame:
        updates["name"] = mask_names(frame["name"])
    if "phone" in frame:
        updates["phone"] = mask_phones(frame["phone"])
    return frame.assign(**updates) if updates else frame
