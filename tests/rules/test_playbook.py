"""Playbook: one action per customer, chosen in rule order, in Chinese and English."""

from __future__ import annotations

import pytest
from rules_helpers import ROOT, customers

from segkit.config import PlaybookParams, read_yaml
from segkit.rules import apply_rules, playbook_table, strategy_table
from segkit.rules.man import MAN_GROUPS
from segkit.rules.matrix import MATRIX_GROUPS

ORDER = [
    ({"aum": 9_000_000, "credit_card": "inactive"}, "private_one_to_one"),     # private before the card
    ({"aum": 6_000_000}, "near_private_one_to_one"),
    ({"aum": 2_000_000}, "core_relationship"),                                # core = Diamond
    ({"aum": 600_000, "credit_card": "inactive"}, "key_gold"),                # key and Gold, before the card
    ({"aum": 400_000, "credit_card": "inactive"}, "key_allocation"),          # key and Silver
    ({"aum": 60_000, "credit_card": "inactive"}, "card_activate"),
    ({"aum": 60_000, "credit_card": "active", "card_autopay_bound": False}, "card_dual_binding"),
    ({"aum": 150_000, "has_payroll": True}, "payroll_binding"),               # payroll before the quality plans
    ({"aum": 150_000}, "quality_silver"),                                     # quality and Silver
    ({"aum": 60_000}, "quality_crosssell"),                                   # quality and Effective
    ({"aum": 30_000}, "potential_effective"),                                 # potential and Effective
    ({"aum": 15_000}, "potential_batch"),                                     # potential, not VIP
    ({"aum": 500}, "mass_batch"),                                             # the default
    ({"aum": 500, "customer_type": "merchant"}, "merchant_liquidity"),
    ({"aum": 500, "has_fx": True}, "fx_overseas"),
    ({"aum": 9_000_000, "customer_type": "corporate", "deposits": 9_000_000}, "corporate_mid"),
    ({"aum": 20_000_000, "customer_type": "corporate", "deposits": 20_000_000}, "corporate_high_end"),
    ({"aum": 1_000, "customer_type": "corporate", "deposits": 1_000}, "corporate_general"),
    ({"aum": 1_000, "customer_type": "corporate", "deposits": None}, "corporate_general"),   # no level: still corporate
    ({"aum": 1_000, "customer_type": "corporate", "deposits": 1_000, "annual_fee_income": 2e6}, "corporate_gold"),
]


def test_actions_follow_the_rule_order(params):
    frame = customers(
        [row for row, _ in ORDER],
        credit_card="none", card_autopay_bound=True, has_payroll=False, has_fx=False, customer_type="retail",
    )
    out = apply_rules(frame, params)
    assert out["action"].tolist() == [action for _, action in ORDER]


def test_corporate_customers_never_get_a_private_banking_plan(params):
    frame = customers([{"aum": 12_000_000, "deposits": 12_000_000, "customer_type": "corporate", "age": 50}])
    out = apply_rules(frame, params)
    assert out["action"].iloc[0] == "corporate_high_end"
    assert "分管行长" in out["action_zh"].iloc[0] and "vice president" in out["action_en"].iloc[0]


def test_readable_actions_follow_the_domain_guide(params):
    rows = [{"aum": a} for a in (2_000_000, 400_000, 60_000, 20_000, 500, 9_000_000, 600_000)]
    out = apply_rules(customers(rows + [{"aum": 60_000, "credit_card": "inactive"}]), params)
    zh, en = out["action_zh"].tolist(), out["action_en"].tolist()
    # core: the matching VIP card, a KYC file, a visit at least monthly, birthday and holiday greetings
    assert all(word in zh[0] for word in ("贵宾卡", "KYC", "每月至少拜访一次", "生日与节日问候"))
    assert "visit at least monthly" in en[0]
    # key: VIP card, asset allocation, a detailed KYC file, contact at least monthly
    assert all(word in zh[1] for word in ("贵宾卡", "资产配置", "详细KYC档案", "每月至少联系一次"))
    assert "contact at least monthly" in en[1] and "contact at least monthly" in en[6]
    assert "贵金属" in zh[6]                           # the Gold plan: precious metals
    assert "沙龙" in zh[2] and "微信群" in zh[2]        # quality: salons, WeChat groups
    assert "换卡" in zh[3] and "老带新" in zh[3] and "国债、基金定投" in zh[3]
    assert "仅批量营销活动" in zh[4]
    assert "不使用公开渠道" in zh[5] and "no public channels" in en[5]
    assert en[7].startswith("Activate the credit card | entry products: cross-sell a debit card")
    assert zh[7].startswith("信用卡激活｜切入产品：")


def test_the_shipped_playbook_covers_every_tier_vip_level_and_group(params):
    playbook = params.rules.playbook
    assert list(playbook.matrix) == MATRIX_GROUPS and list(playbook.man) == MAN_GROUPS
    table = playbook_table(playbook)
    assert table["action"].is_unique and table.notna().all().all()
    amounts = [0, 15_000, 30_000, 60_000, 150_000, 400_000, 600_000, 2_000_000, 6_000_000, 9_000_000]
    out = apply_rules(customers([{"aum": a} for a in amounts]), params)
    assert set(out["tier"]) == set(params.schemes.tier.codes) and set(out["vip_level"]) == set(params.schemes.vip.codes)
    assert out["action"].is_unique  # each tier x VIP level of the default schemes has its own plan


def test_strategy_table_lists_matrix_and_man_groups(params):
    table = strategy_table(params.rules.playbook)
    matrix, man = table[table["kind"] == "matrix"], table[table["kind"] == "man"]
    assert matrix["group"].tolist() == MATRIX_GROUPS and matrix["priority"].isna().all()
    assert man["group"].tolist() == MAN_GROUPS and man["priority"].tolist() == list(range(1, 9))
    assert man.set_index("group").loc["m-a-n", "en"] == "Not a prospect: stop"
    assert "决策" in man.set_index("group").loc["M-a-N", "zh"]
    assert matrix.set_index("group").loc["high-unfamiliar", "en"].startswith("Priority")


def test_unknown_actions_and_groups_are_rejected():
    raw = read_yaml(ROOT / "params" / "playbooks" / "retail.yaml")
    raw["rules"].append({"when": {"column": "tier", "op": "==", "value": "mass"}, "action": "nonexistent"})
    with pytest.raises(ValueError, match=r"unknown actions \['nonexistent'\]"):
        PlaybookParams.model_validate(raw)
    raw = read_yaml(ROOT / "params" / "playbooks" / "retail.yaml")
    raw["man"]["M-A-X"] = {"zh": "?", "en": "?"}
    with pytest.raises(ValueError, match=r"unknown MAN groups \['M-A-X'\]"):
        PlaybookParams.model_validate(raw)


def test_without_a_playbook_the_action_is_missing(params):
    bare = params.model_copy(update={"rules": params.rules.model_copy(update={"playbook": None})})
    out = apply_rules(customers([{"aum": 1.0}]), bare)
    assert out[["action", "action_zh", "action_en"]].isna().all().all()
