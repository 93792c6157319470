"""Packaging: the two install paths (pip via pyproject, conda via environment.yml) agree; the Makefile plans."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pyproject_dependencies() -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["dependencies"]


def _environment_pip_dependencies() -> list[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_sections = [item["pip"] for item in env["dependencies"] if isinstance(item, dict) and "pip" in item]
    return [dep for section in pip_sections for dep in section if not dep.startswith("-e")]


def test_environment_yml_lists_exactly_the_pyproject_dependencies():
    assert sorted(_environment_pip_dependencies()) == sorted(_pyproject_dependencies())


def test_environment_yml_pins_the_supported_python():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in env["dependencies"]


def test_console_script_is_installed_and_answers():
    result = subprocess.run(
        [Path(sys.executable).parent / "segkit", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    for command in ("demo-data", "validate", "score", "report", "run", "audit"):
        assert command in result.stdout


def test_make_bootstraps_the_venv_from_nothing_but_python(tmp_path):
    """`make -n test` in a copy without .venv plans the full bootstrap before the tests."""
    plan = subprocess.run(
        ["make", "--no-print-directory", "-n", "-C", str(ROOT), "test", f"VENV={tmp_path / 'venv'}", "STAMP=" + str(tmp_path / "stamp")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    steps = [line for line in plan.splitlines() if line.strip()]
    assert any("-m venv" in line for line in steps)
    assert any("pip install" in line and "-e '.[test]'" in line for line in steps)
    assert any("ipykernel install" in line and "--name segkit" in line for line in steps)
    assert steps[-1].endswith("-m pytest")


def test_make_lab_opens_the_notebooks_and_passes_allow_root_only_to_root(tmp_path):
    plan = subprocess.run(
        ["make", "--no-print-directory", "-n", "-C", str(ROOT), "lab", f"VENV={tmp_path / 'venv'}",
         "STAMP=" + str(tmp_path / "stamp"), "DEMO=" + str(tmp_path / "bank.parquet")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    steps = [line for line in plan.splitlines() if line.strip()]
    assert any("demo-data --out " + str(tmp_path / "bank.parquet") in line for line in steps)  # data first
    lab = steps[-1]
    assert "jupyter lab" in lab and "--notebook-dir=notebooks" in lab
    assert ("--allow-root" in lab) == (os.getuid() == 0)


@pytest.mark.slow
def test_the_wheel_ships_the_report_notebooks_and_the_cjk_font(tmp_path):
    """`segkit report` on a machine with segkit installed from a wheel (a Dask worker) finds its notebooks."""
    source = tmp_path / "source"
    for folder in ("src", "notebooks"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(source)],
                   check=True, capture_output=True)
    names = zipfile.ZipFile(next((tmp_path / "dist").glob("segkit-*.whl"))).namelist()
    assert {f"segkit/notebooks/{name}.ipynb" for name in ("bank", "branch", "clusters")} <= set(names)
    modules = {path.relative_to(ROOT / "src").as_posix() for path in (ROOT / "src" / "segkit").rglob("*.py")}
    assert modules <= set(names), "a sub-package is missing from [tool.setuptools] packages"
    assert "segkit/fonts/SegkitSansSC-Regular.otf" in names


def test_constraints_pin_every_dependency_to_one_version():
    """`make` installs with constraints.txt, so a fresh machine gets the versions the suite ran with."""
    import re

    pinned = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version and re.fullmatch(r"[\w.+!-]+", version), line
            pinned[re.sub(r"[-_.]+", "-", name).lower()] = version
    with open(ROOT / "pyproject.toml", "rb") as handle:
        project = tomllib.load(handle)["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    names = {re.sub(r"[-_.]+", "-", re.split(r"[\[<>=!~ ;]", dep, maxsplit=1)[0]).lower() for dep in wanted}
    assert sorted(names - set(pinned)) == []
