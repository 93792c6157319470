"""The rules are checked against the schemes when the params load: typos never pass silently."""

from __future__ import annotations

import shutil

import pytest
import yaml
from rules_helpers import ROOT, customers

from segkit.cli import main
from segkit.config import load_params
from segkit.errors import ParamsError
from segkit.rules import apply_rules, rule_problems


@pytest.fixture()
def bank_params(tmp_path):
    """A copy of params/ that a test may edit; returns (folder, edit)."""
    folder = tmp_path / "params"
    shutil.copytree(ROOT / "params", folder)

    def edit(relative: str, change) -> None:
        path = folder / relative
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(raw)
        path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")

    return folder, edit


def _problems(folder) -> str:
    with pytest.raises(ParamsError) as info:
        load_params(folder / "default.yaml")
    return str(info.value)


def test_the_shipped_params_have_no_rule_problems(params):
    assert rule_problems(params) == []
    assert rule_problems(load_params(ROOT / "params" / "churn_modelling.yaml")) == []


def test_a_misspelt_code_in_the_playbook_is_rejected(bank_params):
    folder, edit = bank_params
    edit("playbooks/retail.yaml", lambda raw: raw["rules"][4]["when"].update(value="privat"))
    message = _problems(folder)
    assert "playbook rule 5 (private_one_to_one)" in message and "unknown vip_level ['privat']" in message
    assert "'near_private'" in message  # the known codes are listed


def test_numeric_comparisons_on_codes_and_unknown_classes_are_rejected(bank_params):
    folder, edit = bank_params

    def change(raw):
        raw["rules"][0]["when"] = {"column": "tier", "op": ">=", "value": "key"}
        raw["rules"][1]["when"] = {"column": "class_gold_card", "op": "==", "value": True}

    edit("playbooks/retail.yaml", change)
    message = _problems(folder)
    assert "'tier' holds codes, so compare it with ==, !=, in or not_in, not '>='" in message
    assert "no class 'gold_card' is defined in rules.classes" in message


def test_a_rule_cannot_read_what_is_computed_after_it(bank_params):
    folder, edit = bank_params
    edit("rules/retail.yaml", lambda raw: raw["classes"][0].update(when={"column": "man_group", "op": "==", "value": "M-A-N"}))
    assert "rules.classes 'wealth' reads 'man_group', which segkit computes only after this rule" in _problems(folder)


def test_every_tier_must_have_an_asset_level_at_load(bank_params):
    folder, edit = bank_params
    edit("rules/retail.yaml", lambda raw: raw["matrix"].update(asset_levels={"high": ["core", "key"], "mid": ["quality"], "low": ["mass"]}))
    assert "unplaced tiers ['potential']" in _problems(folder)


def test_segkit_validate_reports_rule_problems_with_exit_2(bank_params, capsys):
    folder, edit = bank_params
    edit("playbooks/retail.yaml", lambda raw: raw["rules"][6]["when"].update(value="kore"))
    assert main(["validate", "--params", str(folder / "default.yaml")]) == 2
    assert "unknown tier ['kore']" in capsys.readouterr().err


def test_class_and_man_rules_may_read_the_levels(bank_params):
    folder, edit = bank_params

    def change(raw):
        raw["classes"].append({"code": "vip", "zh": "贵宾", "en": "VIP", "when": {"column": "vip_level", "op": "not_in", "value": ["none"]}})
        raw["man"]["money"] = {"column": "tier", "op": "in", "value": ["key", "core"]}

    edit("rules/retail.yaml", change)
    params = load_params(folder / "default.yaml")
    out = apply_rules(customers([{"aum": 19_999, "age": 40, "n_products": 1}, {"aum": 300_000, "age": 40, "n_products": 1}]), params)
    assert out["class_vip"].tolist() == [False, True]
    assert out["man_group"].tolist() == ["m-A-N", "M-A-N"]
