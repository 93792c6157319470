"""Merchant value tiers A–E on four measures and service levels a / bcd / e."""

from __future__ import annotations

import pytest
import yaml
from rules_helpers import ROOT, customers

from segkit.config import MerchantScheme, read_yaml
from segkit.rules.merchant import merchant_tier

MEASURES = ["monthly_avg_funds", "annual_acquiring", "annual_fee_income", "credit_line"]


@pytest.fixture(scope="module")
def scheme() -> MerchantScheme:
    return MerchantScheme.model_validate(read_yaml(ROOT / "params" / "schemes" / "merchant_tiers.yaml"))


def _merchants(*rows):
    return customers([{m: 0.0 for m in MEASURES} | row for row in rows], customer_type="merchant")


def test_highest_tier_met_on_any_one_measure(scheme):
    frame = _merchants(
        {"monthly_avg_funds": 1_000_000},          # A on funds alone
        {"annual_acquiring": 9_999_999},           # just below A -> B
        {"annual_fee_income": 20_000},             # C
        {"credit_line": 100_000},                  # D
        {"credit_line": 99_999},                   # E
        {"monthly_avg_funds": 60_000, "credit_line": 600_000},  # D and C -> C
    )
    tier, service = merchant_tier(frame, scheme)
    assert tier.tolist() == ["A", "B", "C", "D", "E", "C"]
    assert service.tolist() == ["a", "bcd", "bcd", "bcd", "e", "bcd"]
    assert tier.dtype.ordered and tier.cat.categories.tolist() == ["E", "D", "C", "B", "A"]


def test_match_all_needs_every_measure(scheme):
    strict = scheme.model_copy(update={"match": "all"})
    frame = _merchants(
        {"monthly_avg_funds": 1e7, "annual_acquiring": 1e8, "annual_fee_income": 1e6, "credit_line": 50_000},
        {"monthly_avg_funds": 1e7, "annual_acquiring": 1e8, "annual_fee_income": 1e6, "credit_line": 1e7},
    )
    assert merchant_tier(frame, strict)[0].tolist() == ["E", "A"]


def test_only_merchants_get_a_tier_and_missing_measures_count_as_not_met(scheme):
    frame = customers(
        [
            {"customer_type": "retail", "monthly_avg_funds": 5e6},
            {"customer_type": "merchant", "monthly_avg_funds": None},
        ]
    )
    tier, service = merchant_tier(frame, scheme)
    assert tier.isna().tolist() == [True, False] and tier.iloc[1] == "E" and service.iloc[1] == "e"


def test_without_customer_type_merchants_are_rows_with_measures(scheme):
    frame = customers([{"annual_acquiring": 3e6}, {"annual_acquiring": None}])
    assert merchant_tier(frame, scheme)[0].isna().tolist() == [False, True]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["tiers"][1]["thresholds"].update(credit_line=5e6), "not sorted on 'credit_line'"),
        (lambda raw: raw["tiers"][4].update(thresholds={"credit_line": 1}), "missing floor tier"),
        (lambda raw: raw["tiers"][2].update(service="z"), "unknown service 'z'"),
        (lambda raw: raw["tiers"][0]["thresholds"].update(turnover=1), "unknown measures ['turnover']"),
        (lambda raw: raw["tiers"][3]["thresholds"].update(credit_line=-1), "negative thresholds"),
        (lambda raw: raw["tiers"][3].update(code="A"), "duplicate tier codes ['A']"),
    ],
)
def test_bad_merchant_schemes_are_rejected(change, message):
    raw = yaml.safe_load((ROOT / "params" / "schemes" / "merchant_tiers.yaml").read_text(encoding="utf-8"))
    change(raw)
    with pytest.raises(ValueError) as info:
        MerchantScheme.model_validate(raw)
    assert "merchant scheme 'merchant_tiers'" in str(info.value) and message in str(info.value)
