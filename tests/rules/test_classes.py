"""Product classes (multi-label) and credit-card states."""

from __future__ import annotations

import pandas as pd
from rules_helpers import customers

from segkit.config import ClassRule, Condition
from segkit.rules import apply_rules
from segkit.rules.classes import card_state, class_flags


def test_classes_are_multi_label_and_joined(params):
    frame = customers(
        [
            {"aum": 1, "has_wealth": True, "has_payroll": True, "credit_card": "active"},
            {"aum": 1, "has_fund": True, "has_fx": True, "credit_card": "none"},
            {"aum": 1, "customer_type": "merchant", "credit_card": "inactive"},
            {"aum": 1, "has_pos": True},
            {"aum": 1},
        ],
        has_wealth=False, has_fund=False, has_insurance=False, has_payroll=False, has_pos=False, has_fx=False,
        credit_card="none", customer_type="retail",
    )
    out = apply_rules(frame, params)
    assert out["classes"].tolist() == ["wealth|credit_card|payroll", "wealth|fx", "credit_card|merchant", "merchant", ""]
    assert out["class_wealth"].tolist() == [True, True, False, False, False]
    assert out["class_credit_card"].tolist() == [True, False, True, False, False]
    assert out["class_payroll"].tolist() == [True, False, False, False, False]
    assert out["class_merchant"].tolist() == [False, False, True, True, False]
    assert out["class_fx"].tolist() == [False, True, False, False, False]
    assert all(out[f"class_{c}"].dtype == bool for c in ("wealth", "credit_card", "payroll", "merchant", "fx"))


def test_card_states():
    frame = customers(
        [
            {"credit_card": "inactive", "card_autopay_bound": False},
            {"credit_card": "active", "card_autopay_bound": False},
            {"credit_card": "active", "card_autopay_bound": True},
            {"credit_card": "none", "card_autopay_bound": False},
            {"credit_card": None, "card_autopay_bound": None},
            {"credit_card": "active", "card_autopay_bound": None},
        ]
    )
    assert card_state(frame).astype(object).where(lambda s: s.notna(), None).tolist() == [
        "card_inactive", "card_no_autopay", "card_active", None, None, "card_active",
    ]


def test_card_state_without_autopay_column_calls_active_cards_active():
    frame = customers([{"credit_card": "active"}, {"credit_card": "inactive"}])
    assert card_state(frame).tolist() == ["card_active", "card_inactive"]


def test_missing_product_columns_mean_not_in_the_class(params):
    out = apply_rules(customers([{"aum": 100.0}, {"aum": 60_000.0}]), params)
    assert out["classes"].tolist() == ["", ""]
    assert not out[[c for c in out if c.startswith("class_")]].to_numpy().any()
    assert out["card_state"].isna().all()


def test_a_bank_defines_its_own_class():
    rules = [ClassRule(code="senior", zh="老年客户", en="Senior", when=Condition(column="age", op=">=", value=60))]
    flags = class_flags(customers([{"age": 59}, {"age": 60}, {"age": None}]), rules)
    assert flags["senior"].tolist() == [False, True, False]


def test_flags_may_be_nullable_or_integers(params):
    frame = customers(
        [{"aum": 1, "has_wealth": 1, "has_payroll": pd.NA}, {"aum": 1, "has_wealth": 0, "has_payroll": True}]
    ).astype({"has_payroll": "boolean"})
    out = apply_rules(frame, params)
    assert out["class_wealth"].tolist() == [True, False]
    assert out["class_payroll"].tolist() == [False, True]
