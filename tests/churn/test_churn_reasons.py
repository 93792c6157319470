"""Reason phrasing: every value reads as a short sentence that states it correctly."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from segkit.churn.reasons import PHRASES, label, phrase, phrases, top_reasons

CJK = re.compile(r"[\u4e00-\u9fff]")
FINITE = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
CATEGORICAL = {"branch_id", "customer_type", "gender", "credit_card", "industry"}


def _readable(en: str, zh: str) -> None:
    assert en.strip() and zh.strip()
    assert en == en.strip() and zh == zh.strip()
    assert not re.search(r"\bnan\b|\bnone\b|\binf\b", en.lower()), en
    assert "nan" not in zh.lower() and "inf" not in zh.lower(), zh
    assert "_" not in en, en
    assert CJK.search(zh), zh
    assert "no a " not in en, en


@settings(max_examples=300, deadline=None)
@given(feature=st.sampled_from(sorted(set(PHRASES) - CATEGORICAL)), value=FINITE)
def test_every_known_numeric_feature_reads_as_text(feature: str, value: float) -> None:
    _readable(*phrase(feature, value, typical=1.0))


@settings(max_examples=100, deadline=None)
@given(feature=st.sampled_from(sorted(CATEGORICAL)), level=st.text(alphabet="abcxyz-B0123456789", min_size=1, max_size=8))
def test_categorical_levels_read_as_text(feature: str, level: str) -> None:
    en, zh = phrase(feature, level)
    _readable(en, zh)


@settings(max_examples=200, deadline=None)
@given(months=st.integers(min_value=1, max_value=12))
def test_inactivity_states_the_months(months: int) -> None:
    en, zh = phrase("months_inactive", float(months))
    assert en == f"inactive {months} of the last 12 months"
    assert zh == f"近12个月中{months}个月无交易"


@settings(max_examples=500, deadline=None)
@given(change=st.floats(min_value=-1.0, max_value=5.0, allow_nan=False))
@example(change=-0.005)
@example(change=0.005)
@example(change=-0.0049)
@example(change=-0.4549)
def test_asset_change_states_direction_and_size(change: float) -> None:
    en, zh = phrase("aum_change", change)
    match = re.fullmatch(r"assets (down|up) (\d+)% on the previous period", en)
    if match is None:
        assert en == "assets flat on the previous period" and zh == "资产与上期持平"
        assert abs(change) <= 0.005
        return
    direction, percent = match.group(1), int(match.group(2))
    assert percent >= 1, en  # never "down 0%"
    assert direction == ("down" if change < 0 else "up")
    assert abs(percent - 100 * abs(change)) <= 0.5 + 1e-9
    assert zh == (f"资产较上期下降{percent}%" if direction == "down" else f"资产较上期增长{percent}%")


@settings(max_examples=100, deadline=None)
@given(values=arrays(np.float64, st.integers(1, 40), elements=st.floats(min_value=-1.0, max_value=5.0) | st.just(np.nan)))
@example(values=np.array([5e-324, -1e-310, 4.999, np.nan]))
def test_vectorised_asset_change_agrees_with_one_at_a_time(values: np.ndarray) -> None:
    en, zh = phrases("aum_change", values)
    for value, text in zip(values, en, strict=True):
        if np.isnan(value):
            assert text == "no previous-period balance to compare"
            continue
        single = phrase("aum_change", float(value))[0]
        missing = "no previous-period balance to compare"
        assert (text == missing) == (single == missing), (value, text, single)
        # formats are shared per 3 significant digits: at most one percentage point apart
        got = re.findall(r"\d+", text) or ["0"]
        want = re.findall(r"\d+", single) or ["0"]
        assert abs(int(got[0]) - int(want[0])) <= 1, (value, text, single)


@settings(max_examples=100, deadline=None)
@given(held=st.integers(min_value=0, max_value=12), typical=st.integers(min_value=1, max_value=6))
def test_products_state_the_count(held: int, typical: int) -> None:
    en, zh = phrase("n_products", float(held), float(typical))
    if held == 0:
        assert (en, zh) == ("no products held", "未持有产品")
    else:
        assert str(held) in en and str(held) in zh
        assert ("only" in en) == (held < typical or held == 1)
        assert en.endswith("product") == (held == 1)


def test_missing_values_read_as_not_recorded() -> None:
    assert phrase("months_inactive", None) == ("months inactive not recorded", "无交易月数缺失")
    assert phrase("age", float("nan")) == ("age not recorded", "年龄缺失")


def test_extra_features_show_the_typical_value() -> None:
    assert phrase("CreditScore", 512.0, 652.0) == ("CreditScore 512 (typical 652)", "CreditScore为512（一般为652）")
    assert phrase("Segment", "gold", "silver") == ("Segment gold", "Segment为gold")


def test_extra_features_read_under_their_given_names() -> None:
    score = ("credit score", "信用评分")
    assert phrase("CreditScore", 512.0, 652.0, score) == ("credit score 512 (typical 652)", "信用评分为512（一般为652）")
    assert phrase("CreditScore", None, 652.0, score) == ("credit score not recorded", "信用评分缺失")
    assert phrase("Segment", "gold", None, ("segment", "客群")) == ("segment gold", "客群为gold")
    # a 0/1 flag reads yes / no, never "0 (typical 1)"
    active = ("active member", "活跃客户")
    assert phrase("IsActiveMember", 0.0, 1.0, active, binary=True) == ("active member: no", "活跃客户：否")
    assert phrase("IsActiveMember", 1.0, 1.0, active, binary=True) == ("active member: yes", "活跃客户：是")
    assert phrase("IsActiveMember", 0.0, 1.0, binary=True) == ("IsActiveMember: no", "IsActiveMember：否")
    # known features keep their own words whatever name is given
    assert phrase("months_inactive", 4.0, None, ("ignored", "忽略")) == phrase("months_inactive", 4.0)
    assert label("months_inactive", {"months_inactive": ("x", "y")}) == ("months inactive", "无交易月数")
    assert label("IsActiveMember", {"IsActiveMember": active}) == active
    assert label("CreditScore") == ("CreditScore", "CreditScore")


def test_top_reasons_use_the_given_names() -> None:
    impacts = np.array([[0.4, 0.2], [0.0, 0.3]])
    values = [np.array([0.0, 1.0]), np.array([500.0, 480.0])]
    found = top_reasons(
        impacts, values, ["IsActiveMember", "CreditScore"], [1.0, 650.0],
        labels={"IsActiveMember": ("active member", "活跃客户"), "CreditScore": ("credit score", "信用评分")},
        binary={"IsActiveMember"},
    )  # fmt: skip
    assert list(found["reason_1_en"]) == ["active member: no", "credit score 480 (typical 650)"]
    assert list(found["reason_2_zh"]) == ["信用评分为500（一般为650）", None]
    assert list(found["driver_1"]) == ["IsActiveMember", "CreditScore"]


def test_product_flags_read_naturally() -> None:
    assert phrase("has_debit_card", 0.0)[0] == "no debit card"
    assert phrase("has_loan", 0.0)[0] == "no loan"
    assert phrase("has_debit_card", 1.0)[0] == "holds a debit card"
    assert phrase("has_payroll", 0.0) == ("salary not paid here", "未在本行代发工资")


@settings(max_examples=100, deadline=None)
@given(impacts=arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(1, 6)), elements=st.floats(-3, 3)))
def test_top_reasons_are_the_largest_positive_contributions(impacts: np.ndarray) -> None:
    n_rows, n_features = impacts.shape
    names = [f"f{j}" for j in range(n_features)]
    values = [np.arange(n_rows, dtype=float) for _ in range(n_features)]
    found = top_reasons(impacts, values, names, [None] * n_features, top=3, min_impact=0.05)
    for row in range(n_rows):
        expected = sorted((value for value in impacts[row] if value > 0.05), reverse=True)[:3]
        got = [found[f"impact_{rank}"][row] for rank in (1, 2, 3)]
        assert [value for value in got if not np.isnan(value)] == expected
        for rank in (1, 2, 3):
            driver = found[f"driver_{rank}"][row]
            if np.isnan(got[rank - 1]):
                assert driver is None and found[f"reason_{rank}_en"][row] is None
            else:
                assert impacts[row, names.index(driver)] == got[rank - 1]
                assert found[f"reason_{rank}_en"][row] == f"{driver} {row}"
