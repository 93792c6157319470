"""Helpers for the rules tests: small hand-built banks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]


def customers(rows: list[dict], **defaults) -> pd.DataFrame:
    """A canonical table from a few rows; ``customer_id`` and ``branch_id`` are filled in."""
    frame = pd.DataFrame([{**defaults, **row} for row in rows])
    if "customer_id" not in frame:
        frame.insert(0, "customer_id", [f"C{i:03d}" for i in range(len(frame))])
    if "branch_id" not in frame:
        frame.insert(1, "branch_id", "B1")
    return frame
