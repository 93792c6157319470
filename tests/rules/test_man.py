"""MAN letters from configurable rules, the eight groups and their priority."""

from __future__ import annotations

import pytest
from rules_helpers import customers

from segkit.config import Condition, ManParams
from segkit.rules.man import MAN_GROUPS, man_group

RICH, POOR = 500_000, 1_000
ADULT, CHILD = 40, 15
NEEDY, SATED = 1, 4

CASES = [
    (RICH, ADULT, NEEDY, "M-A-N", 1),
    (RICH, ADULT, SATED, "M-A-n", 2),
    (RICH, CHILD, NEEDY, "M-a-N", 3),
    (POOR, ADULT, NEEDY, "m-A-N", 4),
    (POOR, CHILD, NEEDY, "m-a-N", 5),
    (POOR, ADULT, SATED, "m-A-n", 6),
    (RICH, CHILD, SATED, "M-a-n", 7),
    (POOR, CHILD, SATED, "m-a-n", 8),
]


def test_the_eight_groups_have_the_seed_priorities():
    frame = customers([{"aum": a, "age": g, "n_products": p, "income": 0} for a, g, p, _, _ in CASES])
    group, priority = man_group(frame, ManParams())
    assert group.tolist() == [case[3] for case in CASES]
    assert priority.tolist() == [case[4] for case in CASES]
    assert str(priority.dtype) == "Int8"
    assert MAN_GROUPS == [case[3] for case in CASES]


def test_money_from_income_and_need_from_falling_assets():
    frame = customers(
        [
            {"aum": 1_000, "income": 250_000, "age": 40, "n_products": 4, "aum_prev": 1_000},
            {"aum": 700, "income": 10_000, "age": 40, "n_products": 4, "aum_prev": 1_000},
        ]
    )
    group, _ = man_group(frame, ManParams())
    assert group.tolist() == ["M-A-n", "m-A-N"]


def test_merchants_decide_for_themselves():
    frame = customers([{"aum": 1_000, "age": 80, "customer_type": "merchant", "n_products": 4}])
    assert man_group(frame, ManParams())[0].iloc[0] == "m-A-n"


def test_letters_come_from_the_params():
    rules = ManParams(
        money=Condition(column="income", op=">=", value=100),
        authority=Condition(column="role", op="in", value=["owner"]),
        need=Condition(column="n_products", op="<", value=3),
    )
    frame = customers([{"income": 100, "role": "owner", "n_products": 2}, {"income": 99, "role": "child", "n_products": 3}])
    assert man_group(frame, rules)[0].tolist() == ["M-A-N", "m-a-n"]


def test_a_letter_with_no_data_leaves_the_group_unknown():
    frame = customers([{"aum": RICH, "n_products": 1}])  # no age, no customer_type: authority cannot be judged
    group, priority = man_group(frame, ManParams())
    assert group.isna().all() and priority.isna().all()


@pytest.mark.parametrize("age", [None, float("nan")])
def test_a_missing_value_counts_as_not_holding(age):
    frame = customers([{"aum": RICH, "age": age, "n_products": 1}, {"aum": RICH, "age": 30, "n_products": 1}])
    assert man_group(frame, ManParams())[0].tolist() == ["M-a-N", "M-A-N"]


def test_corporate_customers_get_no_man_group():
    frame = customers([{"aum": RICH, "age": ADULT, "n_products": NEEDY, "customer_type": kind} for kind in ("retail", "merchant", "corporate")])
    group, priority = man_group(frame, ManParams())
    assert group.astype(object).tolist()[:2] == ["M-A-N", "M-A-N"] and group.isna().tolist() == [False, False, True]
    assert priority.isna().tolist() == [False, False, True]
