"""Playbook: one action per customer, chosen in rule order, in Chinese and English."""

from __future__ import annotations

import pytest
from rules_helpers import ROOT, customers

from segkit.config import PlaybookParams, read_yaml
from segkit.rules import apply_rules, playbook_table


def test_actions_follow_the_rule_order(params):
    frame = customers(
        [
            {"aum": 9_000_000, "credit_card": "inactive"},        # private before the card
            {"aum": 2_000_000},                                    # core
            {"aum": 400_000, "credit_card": "inactive"},           # key before the card
            {"aum": 60_000, "credit_card": "inactive"},            # card activation
            {"aum": 60_000, "credit_card": "active", "card_autopay_bound": False},
            {"aum": 60_000, "has_payroll": True},                  # payroll before the quality plan
            {"aum": 60_000},                                       # quality plan
            {"aum": 20_000},                                       # potential
            {"aum": 500},                                          # mass (default)
            {"aum": 500, "customer_type": "merchant"},
            {"aum": 500, "has_fx": True},
        ],
        credit_card="none", card_autopay_bound=True, has_payroll=False, has_fx=False, customer_type="retail",
    )
    out = apply_rules(frame, params)
    assert out["action"].tolist() == [
        "private_one_to_one", "core_relationship", "key_allocation", "card_activate", "card_dual_binding",
        "payroll_binding", "quality_crosssell", "potential_batch", "mass_batch", "merchant_liquidity", "fx_overseas",
    ]


def test_readable_actions_in_both_languages(params):
    out = apply_rules(customers([{"aum": 2_000_000}, {"aum": 60_000, "credit_card": "inactive"}]), params)
    assert "每月至少拜访一次" in out["action_zh"].iloc[0] and "贵宾卡" in out["action_zh"].iloc[0]
    assert "visit at least monthly" in out["action_en"].iloc[0]
    assert out["action_en"].iloc[1].startswith("Activate the credit card | entry products: cross-sell a debit card")


def test_the_shipped_playbook_covers_every_matrix_group_and_tier(params):
    playbook = params.rules.playbook
    assert len(playbook.matrix) == 9
    table = playbook_table(playbook)
    assert table["action"].is_unique and table.notna().all().all()
    tiers_with_rules = {rule.when.value for rule in playbook.rules if getattr(rule.when, "column", None) == "tier"}
    assert tiers_with_rules | {"mass"} == set(params.schemes.tier.codes)


def test_unknown_actions_are_rejected():
    raw = read_yaml(ROOT / "params" / "playbooks" / "retail.yaml")
    raw["rules"].append({"when": {"column": "tier", "op": "==", "value": "mass"}, "action": "nonexistent"})
    with pytest.raises(ValueError, match=r"unknown actions \['nonexistent'\]"):
        PlaybookParams.model_validate(raw)


def test_without_a_playbook_the_action_is_missing(params):
    bare = params.model_copy(update={"rules": params.rules.model_copy(update={"playbook": None})})
    out = apply_rules(customers([{"aum": 1.0}]), bare)
    assert out[["action", "action_zh", "action_en"]].isna().all().all()
