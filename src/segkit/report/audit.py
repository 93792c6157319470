"""``segkit audit RUN_DIR``: prove a published run is what its manifest says.

Checks, each a row of the pass/fail table:

* every output's sha256 against the manifest, and no file the manifest
  does not list;
* every file of the scored folder the reports were made from;
* the input data, re-hashed where the manifest says it was read;
* with ``execute=True``, every executed notebook re-run with nbval
  (``pytest --nbval``): the same inputs must give the same outputs, cell by
  cell (nbval compares text, HTML and SVG; it skips PNG).

Changing one byte of the input or of any output makes the audit fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from segkit.fileio import sha256_file, sha256_path
from segkit.report.kernels import KERNEL_NAME
from segkit.threads import available_cores, thread_budget, thread_environment
from segkit.report.manifest import published_files, read_manifest

SANITIZE = """\
[memory addresses]
regex: 0x[0-9a-fA-F]{6,}
replace: 0xADDRESS
"""


@dataclass(frozen=True)
class Check:
    """One row of the audit table."""

    check: str
    target: str
    ok: bool
    detail: str = ""


@dataclass
class AuditOutcome:
    """The audit of one run folder."""

    run_dir: Path
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every check passed."""
        return bool(self.checks) and all(check.ok for check in self.checks)

    def summary(self) -> str:
        """The pass/fail table, failures with their detail, and a verdict line."""
        width = max((len(c.check) for c in self.checks), default=5)
        target_width = min(max((len(c.target) for c in self.checks), default=6), 60)
        lines = [f"{'check':<{width}}  {'target':<{target_width}}  result"]
        lines += [
            f"{c.check:<{width}}  {c.target:<{target_width}}  {'pass' if c.ok else 'FAIL'}"
            + (f"  {c.detail}" if c.detail and not c.ok else "")
            for c in self.checks
        ]
        failed = sum(not c.ok for c in self.checks)
        verdict = "audit passed" if self.ok else f"audit FAILED: {failed} of {len(self.checks)} checks"
        return "\n".join([*lines, f"{verdict} ({self.run_dir})"])


def check_outputs(run_dir: Path, manifest: dict) -> list[Check]:
    """sha256 of every listed output; unlisted files fail too."""
    checks = []
    listed = manifest.get("outputs", {})
    for relative, expected in sorted(listed.items()):
        path = run_dir / relative
        if not path.is_file():
            checks.append(Check("output", relative, False, "missing"))
            continue
        actual = sha256_file(path)
        checks.append(Check("output", relative, actual == expected, "" if actual == expected else "sha256 differs"))
    scored = Path(manifest.get("scored", {}).get("path", ""))
    for path in published_files(run_dir):
        if scored.is_dir() and path.resolve().is_relative_to(scored.resolve()):
            continue
        relative = path.relative_to(run_dir).as_posix()
        if relative not in listed:
            checks.append(Check("output", relative, False, "not in the manifest"))
    return checks


def check_scored(manifest: dict) -> list[Check]:
    """sha256 of every file of the scored folder."""
    scored = manifest.get("scored", {})
    root = Path(scored.get("path", ""))
    bad = []
    for relative, expected in sorted(scored.get("files", {}).items()):
        path = root / relative
        if not path.is_file():
            bad.append(f"{relative} missing")
        elif sha256_file(path) != expected:
            bad.append(f"{relative} differs")
    extra = sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).as_posix() not in scored.get("files", {})
    ) if root.is_dir() else []
    bad += [f"{name} not in the manifest" for name in extra]
    n = len(scored.get("files", {}))
    return [Check("scored", f"{root} ({n} files)", not bad, "; ".join(bad[:5]))]


def check_input(manifest: dict) -> list[Check]:
    """The input data, re-hashed where it was read."""
    source = manifest.get("input", {})
    path = Path(str(source.get("path", "")))
    if not path.exists():
        return [Check("input", str(path), False, "input not found: cannot verify it")]
    actual = sha256_path(path)
    expected = source.get("sha256")
    return [Check("input", str(path), actual == expected, "" if actual == expected else "sha256 differs")]


def _nbval(notebook: Path, workdir: Path, threads: int) -> Check:
    sanitize = workdir / "sanitize.cfg"
    command = [
        sys.executable, "-m", "pytest", str(notebook), "--nbval", "-q", "--no-header", "-p", "no:cacheprovider",
        f"--nbval-kernel-name={KERNEL_NAME}", f"--nbval-sanitize-with={sanitize}", "--nbval-cell-timeout=600",
        f"--rootdir={workdir}", "-c", str(workdir / "pytest.ini"), f"--confcutdir={notebook.parent}",
    ]
    env = {**os.environ, **thread_environment(threads)}
    done = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return Check("nbval", notebook.name, True)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    detail = next((line for line in reversed(lines) if "failed" in line or "error" in line), lines[-1] if lines else "")
    return Check("nbval", notebook.name, False, detail[:300])


def check_notebooks(run_dir: Path, manifest: dict, workers: int | None = None) -> list[Check]:
    """Re-execute every notebook of the run with nbval, ``workers`` at a time."""
    notebooks = [run_dir / relative for relative in sorted(manifest.get("notebooks", {}))]
    if not notebooks:
        return [Check("nbval", "notebooks", False, "the manifest lists no notebook")]
    workers = max(1, min(workers or available_cores(), len(notebooks)))
    threads = thread_budget(workers)
    with tempfile.TemporaryDirectory(prefix="segkit-audit-") as tmp:
        workdir = Path(tmp)
        (workdir / "sanitize.cfg").write_text(SANITIZE, encoding="utf-8")
        (workdir / "pytest.ini").write_text("[pytest]\naddopts =\n", encoding="utf-8")
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(lambda nb: _nbval(nb, workdir, threads), notebooks))


def audit(run_dir: str | os.PathLike[str], execute: bool = True, workers: int | None = None) -> AuditOutcome:
    """Audit a run folder against its manifest.

    Parameters
    ----------
    run_dir : path
        A run folder written by :func:`segkit.report.batch.report`.
    execute : bool
        Also re-execute every notebook with nbval.
    workers : int, optional
        Notebooks re-executed at once (default: the number of cores).

    Returns
    -------
    AuditOutcome
        ``ok`` only when every check passes; ``summary()`` is the table.

    Raises
    ------
    SegkitError
        If ``run_dir`` has no readable manifest.
    """
    folder = Path(run_dir).resolve()
    manifest = read_manifest(folder)
    outcome = AuditOutcome(folder)
    outcome.checks += check_outputs(folder, manifest)
    outcome.checks += check_scored(manifest)
    outcome.checks += check_input(manifest)
    if execute:
        outcome.checks += check_notebooks(folder, manifest, workers)
    return outcome
