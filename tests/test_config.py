"""Params files: includes, relative paths, and errors that list every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from segkit.config import load_params
from segkit.errors import ParamsError

ROOT = Path(__file__).resolve().parents[1]


def test_default_params_load_with_their_included_schemes():
    params = load_params(ROOT / "params" / "default.yaml")
    assert [band.code for band in params.schemes.tier.bands] == ["mass", "potential", "quality", "key", "core"]
    assert params.source == (ROOT / "params" / "default.yaml").resolve()


def test_paths_and_includes_resolve_against_the_params_file(tmp_path, monkeypatch):
    (tmp_path / "conf" / "schemes").mkdir(parents=True)
    for name in ("retail_pyramid", "vip_levels"):
        (tmp_path / "conf" / "schemes" / f"{name}.yaml").write_text(
            (ROOT / "params" / "schemes" / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "conf" / "run.yaml").write_text(
        "name: t\nas_of: 2026-06-30\ndata: {path: ../in/bank.csv}\n"
        "schemes: {tier: schemes/retail_pyramid.yaml, vip: schemes/vip_levels.yaml}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(ROOT)
    params = load_params(tmp_path / "conf" / "run.yaml")
    assert params.data.path == (tmp_path / "in" / "bank.csv").resolve()


def test_every_problem_is_listed_with_its_location(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: t\nas_of: not-a-date\nassignment: {cap: -5}\nsurprise: 1\n", encoding="utf-8")
    with pytest.raises(ParamsError) as info:
        load_params(path)
    message = str(info.value)
    for where in ("as_of", "assignment.cap", "schemes", "surprise"):
        assert where in message


def test_missing_include_names_the_file(tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text("name: t\nas_of: 2026-06-30\nschemes: {tier: nowhere.yaml, vip: nowhere.yaml}\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="nowhere.yaml"):
        load_params(path)


@pytest.mark.parametrize("text", ["[1, 2", "- just\n- a list\n"])
def test_unreadable_or_wrong_shaped_yaml_is_a_params_error(tmp_path, text):
    path = tmp_path / "run.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParamsError, match="run.yaml"):
        load_params(path)
