"""The run manifest: what made a run, and the fingerprint of everything it wrote.

``manifest.json`` records the input (path, sha256, rows), the params, the seed,
the versions of the packages that shaped the numbers, the scored folder and
the sha256 of every published file, keyed by its path relative to the run
folder. :mod:`segkit.report.audit` checks a run against it.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from segkit.errors import SegkitError
from segkit.fileio import sha256_file, write_text

MANIFEST = "manifest.json"
FORMAT = 1

PACKAGES = (
    "segkit", "pandas", "numpy", "pyarrow", "scikit-learn", "scipy", "skops", "matplotlib",
    "papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "xlsxwriter", "pydantic", "pandera",
)


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str]:
    """Return the installed version of each package (``"absent"`` if missing)."""
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def file_hashes(root: Path, files: Iterable[Path]) -> dict[str, str]:
    """Return ``{relative posix path: sha256}`` for ``files`` under ``root``, sorted."""
    return {path.relative_to(root).as_posix(): sha256_file(path) for path in sorted(files)}


def published_files(root: Path) -> list[Path]:
    """Every file under ``root`` except the manifest and hidden (temporary) files."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and path.name != MANIFEST
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )


def build_manifest(
    run_dir: Path,
    run_id: str,
    scored: Any,
    outputs: dict[str, str],
    branches: list[dict[str, Any]],
    notebooks: dict[str, str],
    created: dt.datetime | None = None,
) -> dict[str, Any]:
    """Assemble the manifest of a finished run.

    Parameters
    ----------
    run_dir : Path
        The run folder (final location).
    run_id : str
        The run's id.
    scored : segkit.scored.Scored
        The scored folder the reports were made from.
    outputs : dict
        ``{path relative to run_dir: sha256}`` of every published file.
    branches : list of dict
        One record per branch: id, status, files, KPIs or error.
    notebooks : dict
        ``{path relative to run_dir: kind}`` of executed notebooks (for audit).
    created : datetime, optional
        Creation time (UTC); now by default.
    """
    scored_root = Path(scored.path)
    params = json.loads((scored_root / "params.json").read_text(encoding="utf-8"))
    return {
        "format": FORMAT,
        "run_id": run_id,
        "created": (created or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "as_of": params.get("as_of"),
        "seed": params.get("seed"),
        "input": scored.input,
        "params": params,
        "packages": package_versions(),
        "scored": {
            "path": str(scored_root),
            "files": file_hashes(scored_root, (p for p in scored_root.rglob("*") if p.is_file())),
        },
        "outputs": outputs,
        "notebooks": notebooks,
        "branches": branches,
    }


def write_manifest(run_dir: Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest.json`` atomically into ``run_dir``."""
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    return write_text(run_dir / MANIFEST, text)


def read_manifest(run_dir: str | Path) -> dict[str, Any]:
    """Read a run folder's manifest, raising :class:`SegkitError` if it has none."""
    path = Path(run_dir) / MANIFEST
    if not path.is_file():
        raise SegkitError(f"{run_dir} is not a segkit run folder: no {MANIFEST}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SegkitError(f"{path}: not valid JSON ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise SegkitError(f"{path}: unknown manifest format {manifest.get('format')!r}")
    return manifest
