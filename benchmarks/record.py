"""Where benchmark scripts keep their measurements: ``benchmarks/results/<name>.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from segkit.fileio import write_text

RESULTS = Path(__file__).resolve().parent / "results"


def append(name: str, record: dict[str, Any]) -> Path:
    """Append ``record`` to the history in ``results/<name>.json`` (written atomically)."""
    path = RESULTS / f"{name}.json"
    history = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    history.append(record)
    return write_text(path, json.dumps(history, indent=2, ensure_ascii=False) + "\n")
