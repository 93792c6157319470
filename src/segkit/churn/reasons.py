"""Churn reasons in words, in English and Chinese.

:func:`phrase` turns one feature value into a short reason ("inactive 6 of the
last 12 months" / "近12个月中6个月无交易"); :func:`top_reasons` picks each
customer's largest positive contributions and phrases them, formatting each
distinct value once so that a million customers take seconds. Extra features
of a mapping read under the name the ``churn.labels`` params give them
("active member: no" / "活跃会员：否" rather than "IsActiveMember 0").
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

import numpy as np
import pandas as pd

MIN_IMPACT = 0.05
"""Smallest log-odds contribution (about 5% higher odds) worth giving as a reason."""

Phrase = tuple[str, str]


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.3g}"


def _money_en(value: float) -> str:
    return f"¥{value:,.0f}"


def _money_zh(value: float) -> str:
    return f"{value / 1e4:,.1f}万元" if abs(value) >= 1e4 else f"{value:,.0f}元"


def _money(en: str, zh: str) -> Callable[[float, object], Phrase]:
    return lambda v, typical: (en.format(_money_en(v)), zh.format(_money_zh(v)))


def _aum(v: float, typical: object) -> Phrase:
    if v == 0:
        return "no assets held", "资产为零"
    return f"assets {_money_en(v)}", f"资产{_money_zh(v)}"


def _aum_change(v: float, typical: object) -> Phrase:
    shown = f"{abs(v):.0%}"
    if shown == "0%":
        return "assets flat on the previous period", "资产与上期持平"
    if v < 0:
        return f"assets down {shown} on the previous period", f"资产较上期下降{shown}"
    return f"assets up {shown} on the previous period", f"资产较上期增长{shown}"


def _n_products(v: float, typical: object) -> Phrase:
    if v == 0:
        return "no products held", "未持有产品"
    if typical is not None and v < float(typical) or v == 1:
        return f"only {v:.0f} product{'s' if v != 1 else ''}", f"仅持有{v:.0f}个产品"
    return f"{v:.0f} products", f"持有{v:.0f}个产品"


def _tenure(v: float, typical: object) -> Phrase:
    if v < 1:
        return "new customer (under a year)" if v == 0 else "new customer", "新开户客户"
    if v < 24:
        return f"customer for only {v:.0f} months", f"开户仅{v:.0f}个月"
    return f"customer for {v / 12:.0f} years", f"开户{v / 12:.0f}年"


def _inactive(v: float, typical: object) -> Phrase:
    if v == 0:
        return "active in each of the last 12 months", "近12个月每月均有交易"
    return f"inactive {v:.0f} of the last 12 months", f"近12个月中{v:.0f}个月无交易"


def _contacts(v: float, typical: object) -> Phrase:
    if v == 0:
        return "not contacted in 12 months", "近12个月未联系"
    return f"contacted {v:.0f} times in 12 months", f"近12个月联系{v:.0f}次"


def _flag(yes: Phrase, no: Phrase) -> Callable[[float, object], Phrase]:
    return lambda v, typical: yes if v >= 0.5 else no


def _holds(en: str, zh: str) -> Callable[[float, object], Phrase]:
    return _flag((f"holds {en}", f"持有{zh}"), (f"no {en.removeprefix('a ')}", f"未持有{zh}"))


def _choice(table: dict[str, Phrase], en: str, zh: str) -> Callable[[str, object], Phrase]:
    return lambda v, typical: table.get(v, (f"{en} {v}", f"{zh}{v}"))


PHRASES: dict[str, tuple[str, str, Callable[..., Phrase]]] = {
    # feature: (label en, label zh, phrase of a present value)
    "branch_id": ("branch", "网点", lambda v, t: (f"branch {v}", f"网点{v}")),
    "customer_type": (
        "customer type",
        "客户类型",
        _choice({"retail": ("retail customer", "零售客户"), "merchant": ("merchant", "商户"), "corporate": ("corporate customer", "对公客户")}, "customer type", "客户类型"),
    ),
    "gender": ("gender", "性别", _choice({"female": ("female", "女性"), "male": ("male", "男性")}, "gender", "性别")),
    "credit_card": (
        "credit card",
        "信用卡",
        _choice(
            {"none": ("no credit card", "无信用卡"), "inactive": ("credit card never activated", "信用卡未激活"), "active": ("active credit card", "信用卡已激活")},
            "credit card",
            "信用卡",
        ),
    ),
    "industry": ("industry", "行业", lambda v, t: (f"industry {v}", f"行业{v}")),
    "aum": ("assets", "资产", _aum),
    "aum_change": ("asset change", "资产变动", _aum_change),
    "age": ("age", "年龄", lambda v, t: (f"age {v:.0f}", f"年龄{v:.0f}岁")),
    "income": ("income", "收入", _money("income {} a year", "年收入{}")),
    "n_products": ("products held", "持有产品数", _n_products),
    "tenure_months": ("tenure", "开户时长", _tenure),
    "months_inactive": ("months inactive", "无交易月数", _inactive),
    "txn_count_3m": ("transactions", "交易笔数", lambda v, t: (f"{v:.0f} transactions in the last 3 months", f"近3个月交易{v:.0f}笔")),
    "txn_amount_3m": ("spend", "交易额", _money("{} spent in the last 3 months", "近3个月交易额{}")),
    "contacts_12m": ("contacts", "联系次数", _contacts),
    "kyc_completeness": ("KYC", "KYC信息", lambda v, t: (f"KYC {v:.0%} complete", f"KYC信息完整度{v:.0%}")),
    "monthly_avg_funds": ("merchant funds", "月日均资金", _money("merchant funds {} a month", "月日均资金{}")),
    "annual_acquiring": ("POS acquiring", "年收单量", _money("POS acquiring {} a year", "年收单{}")),
    "annual_fee_income": ("fee income", "年手续费收入", _money("fee income {} a year", "年手续费收入{}")),
    "credit_line": ("credit line", "授信额度", _money("credit line {}", "授信额度{}")),
    "deposits": ("deposits", "存款", _money("deposits {}", "存款{}")),
    "fund_return_rate": ("fund return rate", "资金归行率", lambda v, t: (f"fund return rate {v:.0%}", f"资金归行率{v:.0%}")),
    "e_products": ("e-banking products", "电子银行产品", lambda v, t: (f"{v:.0f} e-banking products", f"使用{v:.0f}个电子银行产品")),
    "has_debit_card": ("debit card", "借记卡", _holds("a debit card", "借记卡")),
    "has_wealth": ("wealth products", "理财产品", _holds("wealth products", "理财产品")),
    "has_fund": ("funds", "基金", _holds("funds", "基金")),
    "has_insurance": ("insurance", "保险", _holds("insurance", "保险")),
    "has_payroll": ("payroll", "代发工资", _flag(("salary paid here", "在本行代发工资"), ("salary not paid here", "未在本行代发工资"))),
    "has_pos": ("POS", "POS收单", _holds("POS acquiring", "POS收单")),
    "has_fx": ("FX", "结售汇", _holds("FX settlement", "结售汇业务")),
    "has_loan": ("loan", "贷款", _holds("a loan", "贷款")),
    "card_autopay_bound": (
        "card autopay",
        "自动还款",
        _flag(("card autopay bound", "信用卡已绑定自动还款"), ("card autopay not bound", "信用卡未绑定自动还款")),
    ),
    "has_contact": ("contact details", "联系方式", _flag(("usable contact details", "联系方式有效"), ("no usable contact details", "无有效联系方式"))),
}
"""Known features: their labels and how a value reads."""

MISSING: dict[str, Phrase] = {
    "aum_change": ("no previous-period balance to compare", "无上期资产可比"),
}
"""How a missing value reads where "not recorded" would mislead (``aum_change`` is
missing when the previous balance is zero, as for a newly opened account)."""


def label(feature: str, labels: Mapping[str, Phrase] | None = None) -> Phrase:
    """Return the (English, Chinese) name of a feature: known, given in ``labels``, or the column name."""
    if feature in PHRASES:
        return PHRASES[feature][0], PHRASES[feature][1]
    return (labels or {}).get(feature, (feature, feature))


def phrase(
    feature: str, value: object, typical: object = None, name: Phrase | None = None, binary: bool = False
) -> Phrase:
    """Return the (English, Chinese) reason for one feature value.

    Parameters
    ----------
    feature : str
        The feature name (canonical, derived, or an extra mapped column).
    value : float, str or None
        The customer's value; None or NaN reads as "not recorded" (or as
        :data:`MISSING` says).
    typical : float or str, optional
        The bank's typical value (median or most common level); extra
        numeric features show it for comparison.
    name : (str, str), optional
        English and Chinese name of an extra feature (default: the column name).
    binary : bool
        Whether an extra numeric feature is a 0/1 flag: it then reads as yes / no.
    """
    label_en, label_zh, read = PHRASES.get(feature, (*(name or (feature, feature)), None))
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return MISSING.get(feature, (f"{label_en} not recorded", f"{label_zh}缺失"))
    if read is not None:
        return read(value, typical)
    if isinstance(value, str):
        return f"{label_en} {value}", f"{label_zh}为{value}"
    if binary:
        return (f"{label_en}: yes", f"{label_zh}：是") if float(value) >= 0.5 else (f"{label_en}: no", f"{label_zh}：否")
    if typical is None:
        return f"{label_en} {_number(value)}", f"{label_zh}为{_number(value)}"
    shown = typical if isinstance(typical, str) else _number(float(typical))
    return f"{label_en} {_number(value)} (typical {shown})", f"{label_zh}为{_number(value)}（一般为{shown}）"


def _display_key(values: np.ndarray) -> np.ndarray:
    """Round numbers to what a reason shows (3 significant digits), so equal texts share one format."""
    if values.dtype.kind != "f":
        return values
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.where(values != 0, np.floor(np.log10(np.abs(values))), 0.0)
    scale = 10.0 ** np.clip(np.nan_to_num(magnitude - 2), -300, 300)  # finite and non-zero
    return np.round(values / scale) * scale


def phrases(
    feature: str, values: np.ndarray, typical: object = None, name: Phrase | None = None, binary: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`phrase`: English and Chinese arrays (object) for ``values``."""
    keys = _display_key(values)
    codes, uniques = pd.factorize(keys, use_na_sentinel=True)
    table = [phrase(feature, value.item() if hasattr(value, "item") else value, typical, name, binary) for value in uniques]
    table.append(phrase(feature, None, name=name))  # index -1: missing
    en = np.array([item[0] for item in table], dtype=object)
    zh = np.array([item[1] for item in table], dtype=object)
    return en[codes], zh[codes]


def top_reasons(
    impacts: np.ndarray,
    values: Sequence[np.ndarray],
    features: Sequence[str],
    typical: Sequence[object],
    top: int = 3,
    min_impact: float = MIN_IMPACT,
    drivers: Sequence[str] | None = None,
    labels: Mapping[str, Phrase] | None = None,
    binary: Collection[str] = (),
) -> dict[str, np.ndarray]:
    """Pick and phrase each row's ``top`` largest positive contributions.

    Parameters
    ----------
    impacts : ndarray of shape (n_rows, n_features)
        Contributions to the risk (log-odds for the model).
    values : sequence of ndarray
        Each feature's displayed values (numbers or level names).
    features : sequence of str
        Feature names, aligned with the columns of ``impacts``.
    typical : sequence
        Each feature's typical value.
    top : int
        Reasons per row.
    min_impact : float
        Contributions at or below this are not reasons.
    drivers : sequence of str, optional
        Names reported as ``driver_i`` (default: ``features``).
    labels : mapping of str to (str, str), optional
        English and Chinese names of extra features (see :func:`phrase`).
    binary : collection of str
        Extra numeric features that are 0/1 flags (read as yes / no).

    Returns
    -------
    dict of str to ndarray
        ``driver_i``, ``impact_i``, ``reason_i_en``, ``reason_i_zh`` for
        ``i = 1..top``; rows with fewer reasons hold None / NaN.
    """
    n_rows, n_features = impacts.shape
    none = n_features  # index meaning "no reason"
    order = np.argsort(-impacts, axis=1, kind="stable")
    best = np.take_along_axis(impacts, order, axis=1)
    names = np.array([*(features if drivers is None else drivers), None], dtype=object)
    out: dict[str, np.ndarray] = {}
    for rank in range(top):
        impact = best[:, rank] if rank < n_features else np.full(n_rows, np.nan)
        chosen = np.where(impact > min_impact, order[:, rank], none) if rank < n_features else np.full(n_rows, none)
        en = np.full(n_rows, None, dtype=object)
        zh = np.full(n_rows, None, dtype=object)
        for j in np.unique(chosen[chosen != none]):
            rows = np.flatnonzero(chosen == j)
            name = features[j]
            en[rows], zh[rows] = phrases(name, values[j][rows], typical[j], (labels or {}).get(name), name in binary)
        out[f"driver_{rank + 1}"] = names[chosen]
        out[f"impact_{rank + 1}"] = np.where(chosen != none, impact, np.nan)
        out[f"reason_{rank + 1}_en"] = en
        out[f"reason_{rank + 1}_zh"] = zh
    return out
