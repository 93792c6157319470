"""Recycled report kernels: a notebook runs exactly as in a fresh kernel and sees nothing of the one before."""

from __future__ import annotations

import re

import nbformat
import papermill as pm
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from segkit.report.kernels import ENGINE, KERNEL_NAME, KernelPool
from segkit.report.notebook import notebooks_dir
from segkit.scored import Scored

pytestmark = pytest.mark.slow


def _run(pool: KernelPool, notebook, parameters: dict[str, str] | None = None):
    km = pool.take()
    try:
        return pm.execute_notebook(str(notebook), None, parameters=parameters or {}, kernel_name=KERNEL_NAME,
                                   progress_bar=False, km=km, engine_name=ENGINE)
    finally:
        pool.give_back(km)


def _cells(nb) -> list:
    return [(cell.execution_count, cell.outputs) for cell in nb.cells if cell.cell_type == "code"]


@pytest.fixture
def pool():
    pool = KernelPool(cwd=notebooks_dir())
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    """A notebook that prints what it finds left in the kernel."""
    path = tmp_path_factory.mktemp("probe") / "probe.ipynb"
    code = ("import warnings\n"
            "print(sorted(name for name in globals() if not name.startswith('_')))\n"
            "warnings.warn('shown every time', UserWarning)")
    nbformat.write(new_notebook(cells=[new_code_cell(code)],
                                metadata={"kernelspec": {"name": KERNEL_NAME, "display_name": KERNEL_NAME, "language": "python"}}), path)
    return path


def test_a_branch_report_in_a_recycled_kernel_equals_a_fresh_execution(pool, scored_dir):
    first, second = (str(b) for b in Scored.open(scored_dir).branches["branch_id"].head(2))
    notebook = notebooks_dir() / "branch.ipynb"
    _run(pool, notebook, {"scored_dir": str(scored_dir), "branch_id": first})
    recycled = _run(pool, notebook, {"scored_dir": str(scored_dir), "branch_id": second})
    fresh = pm.execute_notebook(str(notebook), None, parameters={"scored_dir": str(scored_dir), "branch_id": second},
                                kernel_name=KERNEL_NAME, progress_bar=False)
    assert _cells(recycled) == _cells(fresh)
    assert [count for count, _ in _cells(recycled)] == list(range(1, len(_cells(fresh)) + 1))


def _texts(nb) -> list[str]:
    """A cell's output texts, without the kernel's process id (a warning names the kernel's temporary file)."""
    return [re.sub(r"ipykernel_\d+", "ipykernel", out["text"]) for out in nb.cells[0].outputs]


def test_nothing_of_the_previous_notebook_is_left(pool, scored_dir, probe):
    fresh = _texts(pm.execute_notebook(str(probe), None, kernel_name=KERNEL_NAME, progress_bar=False))
    assert "ctx" not in fresh[0] and "shown every time" in fresh[1]
    branch = str(Scored.open(scored_dir).branches["branch_id"].iloc[0])
    _run(pool, notebooks_dir() / "branch.ipynb", {"scored_dir": str(scored_dir), "branch_id": branch})
    for _ in range(2):  # the second time also proves "this warning was already shown" is forgotten
        assert _texts(_run(pool, probe)) == fresh


def test_a_kernel_is_replaced_after_its_uses_and_when_it_dies(scored_dir, probe):
    pool = KernelPool(cwd=notebooks_dir(), uses=2)
    try:
        first = pool.take()
        pool.give_back(first)
        assert pool.take() is first
        pool.give_back(first)
        second = pool.take()
        assert second is not first and not first.is_alive()
        second.shutdown_kernel(now=True)  # as if it had died
        pool.give_back(second)
        assert pool.take() is not second
    finally:
        pool.close()
