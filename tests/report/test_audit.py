"""``segkit audit``: hashes and nbval re-execution catch any change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from segkit.cli import main
from segkit.fileio import sha256_file
from segkit.report.audit import audit
from segkit.report.batch import report
from segkit.scored import Scored

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(scored_dir, tmp_path_factory) -> Path:
    first = str(Scored.open(scored_dir).branches["branch_id"].iloc[0])
    out = tmp_path_factory.mktemp("audit") / "run-1"
    assert report(scored_dir, out, branches=[first], workers=2, progress=False).ok
    return out


def _copy(run: Path, tmp_path: Path) -> Path:
    copy = tmp_path / run.name
    shutil.copytree(run, copy)
    return copy


def _rows(outcome, check: str) -> dict[str, bool]:
    return {c.target: c.ok for c in outcome.checks if c.check == check}


def test_an_untouched_run_passes_hashes_and_nbval_and_a_changed_output_cell_fails_nbval(run, tmp_path):
    outcome = audit(run, execute=True)
    assert outcome.ok, outcome.summary()
    assert set(_rows(outcome, "nbval")) == {"bank.ipynb", next((run / "branches").glob("*.ipynb")).name}
    assert "audit passed" in outcome.summary()

    # An auditor's copy whose bank notebook shows a different figure (manifest hash updated to match):
    # only re-execution can tell.
    copy = _copy(run, tmp_path)
    nb = nbformat.read(copy / "bank.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "bank_header" in c.source)
    output = next(o for o in cell.outputs if "text/html" in o.get("data", {}) and 'class="kpis"' in o.data["text/html"])
    output.data["text/html"] = output.data["text/html"].replace('<div class="value">', '<div class="value">9', 1)
    nbformat.write(nb, copy / "bank.ipynb")
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"]["bank.ipynb"] = sha256_file(copy / "bank.ipynb")
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    tampered = audit(copy, execute=True)
    assert not tampered.ok
    nbval = _rows(tampered, "nbval")
    assert nbval["bank.ipynb"] is False and sum(nbval.values()) == 1
    assert all(_rows(tampered, "output").values())


def test_changing_one_byte_of_an_output_fails_the_audit(run, tmp_path):
    copy = _copy(run, tmp_path)
    page = next((copy / "branches").glob("*.html"))
    data = bytearray(page.read_bytes())
    data[len(data) // 2] ^= 0x01
    page.write_bytes(bytes(data))
    outcome = audit(copy, execute=False)
    failed = {c.target for c in outcome.checks if not c.ok}
    assert failed == {page.relative_to(copy).as_posix()}
    assert main(["audit", str(copy), "--hashes-only"]) == 1
    assert main(["audit", str(run), "--hashes-only"]) == 0


def test_a_file_the_manifest_does_not_list_fails_the_audit(run, tmp_path):
    copy = _copy(run, tmp_path)
    (copy / "branches" / "extra.html").write_text("<p>not from this run</p>")
    outcome = audit(copy, execute=False)
    assert not outcome.ok and "not in the manifest" in outcome.summary()


def test_changing_one_byte_of_the_input_fails_the_audit(run):
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    source = Path(manifest["input"]["path"])
    original = source.read_bytes()
    try:
        source.write_bytes(original[:-1] + bytes([original[-1] ^ 0x01]))
        outcome = audit(run, execute=False)
        assert _rows(outcome, "input") == {str(source): False}
    finally:
        source.write_bytes(original)
    assert audit(run, execute=False).ok


def test_a_folder_without_manifest_is_a_user_error(tmp_path):
    assert main(["audit", str(tmp_path), "--hashes-only"]) == 2
