"""A seeded synthetic bank: the demo data segkit runs on.

:func:`generate_bank` draws one snapshot of a retail bank's customers in the
canonical table (see :mod:`segkit.data.schema`). Every draw is vectorised
numpy from one :func:`numpy.random.default_rng` seeded generator, always in
the same order, so the same ``(n_customers, n_branches, seed)`` gives an
identical table.

How the bank is drawn
---------------------
Branches and managers
    Branch sizes follow Dirichlet(8) shares of the customers (every branch
    gets at least one customer when there are enough). Branch ids are
    ``B01``, ``B02`` ... (wider when there are 100+ branches). A branch of
    ``m`` customers has ``ceil(m / 750)`` managers, ids like ``B03-M07``,
    whose books have Dirichlet(6) shares: with a cap of 800 customers per
    manager a good part of the managers is over it. About 12% of customers
    below 50,000 AUM and 4% above have no manager (``manager_id`` missing).
    Each branch has a wealth effect N(0, 0.2) (centred over the branches,
    so the bank's pyramid does not depend on them) on the standardised
    wealth scale.
Customer type
    retail 93.7%, merchant 6%, corporate 0.3%.
Age and gender
    ``age = 18 + floor(73 * Beta(2, 3))`` capped at 90 (mean about 47);
    ``gender`` female / male with equal odds. For merchants and corporate
    customers these describe the owner or legal representative.
Income (annual, CNY)
    Log-normal: median 72,000 at age 48, falling quadratically away from it,
    times 0.6 after 62 (pension), times 1.6 for merchants; log-sd 0.55.
    Rounded to 100.
AUM (quarterly daily average, CNY)
    ``log(aum) = log(11,300) + 1.88 * z`` with ``z`` a standardised mix of
    log-income (0.55), age (0.30), the branch effect and noise; merchants
    shift up by 0.4 sd. A corporate customer's ``aum`` is its ``deposits``.
    With the default seed and 1,000,000 customers: 47% hold under 10,000,
    78% under 50,000, 17% 50,000-300,000, 3.2% 300,000-1,000,000, 1.1%
    1,000,000 or more (0.85% of non-corporate customers), and 0.08% hold
    8,000,000 or more (0.02% of non-corporate customers: private banking).
Disengagement (latent, not in the table)
    ``d = 0.95 e - 0.25 z`` with ``e`` standard normal: poorer customers drift
    away a little more often. ``d`` drives the observable signs of churn.
Activity
    ``months_inactive ~ Binomial(12, sigmoid(-3 + 1.6 d))``.
    ``txn_count_3m`` is 0 after 3+ inactive months, else
    ``Poisson(exp(2.8 + 0.15 clip(x, -3, 3) - 0.5 d + 0.7 merchant) * (3 - months_inactive) / 3)``
    with ``x = log(aum / 100,000)``; ``txn_amount_3m`` is the count times a
    log-normal ticket around income / 80.
AUM change
    ``g = 0.02 + 0.12 N(0, 1) - 0.25 max(d, 0)^2`` is the quarter's log
    growth; ``aum_prev = aum * exp(-g)``. Customers who opened their account
    this quarter (``tenure_months <= 3``) have ``aum_prev = 0``.
Tenure
    ``tenure_months = 1 + floor(12 * min(Exp(mean 7 years), age - 18))``.
Products (probabilities, all shrinking with ``d``)
    debit card 93% (not corporate); wealth ``sigmoid(-0.7 + x - 0.4 d)`` and
    only with AUM >= 10,000 (the usual minimum purchase); fund
    ``sigmoid(-1.3 + 0.8 x - 0.015 (age - 45) - 0.3 d)`` with AUM >= 1,000;
    insurance ``sigmoid(-1.6 + 0.5 x + 0.025 (age - 40) - 0.2 d)``;
    payroll ``sigmoid(-0.2 + 0.3 z_income - 0.3 d)`` for retail aged 22-60;
    POS 90% of merchants, 30% of corporates; FX
    ``sigmoid(-2.8 + 0.6 x - 0.02 (age - 40))`` (30% of corporates); loan
    ``sigmoid(-2.2 + 0.3 z_income - 0.002 (age - 38)^2)`` (45% of merchants,
    50% of corporates). A credit card is issued with
    ``sigmoid(0.5 z_income - 0.04 (age - 40))`` (retail and merchants under
    75); an issued card is ``inactive`` (issued, never activated) with
    probability 0.15 (0.25 when ``d > 1``), else ``active``; an active card
    is bound to a debit card for auto-repayment (``card_autopay_bound``) with
    probability 0.6 when the customer has a debit card. ``n_products``
    counts the holdings in :data:`segkit.data.schema.PRODUCT_FLAGS` plus an
    issued credit card.
Contact and knowledge
    ``has_contact`` is False with ``sigmoid(-4.0 + 0.6 d - 0.3 x)`` (a few
    percent); ``phone`` (a synthetic 11-digit mobile number) is then missing.
    ``contacts_12m ~ Poisson((0.3 + 1.2 [aum >= 50k] + 3 [aum >= 300k] + 7
    [aum >= 1M]) * attention)`` with ``attention ~ Gamma(1.5, 1/1.5)``, times
    0.3 without a manager and 0 without contact details.
    ``kyc_completeness ~ Beta(8 m, 8 (1 - m))`` with
    ``m = sigmoid(-0.6 + 0.5 log(1 + contacts_12m) + 0.3 clip(x, -3, 3) + 0.1 sqrt(tenure years))``,
    halved without contact details; 2 decimals.
Merchants
    ``industry`` is one of the 十行八店 groups in :data:`INDUSTRIES`;
    ``monthly_avg_funds = aum * exp(N(0, 0.3))``; ``annual_acquiring`` is
    log-normal (median 1,200,000, log-sd 1.1) with POS, else 0;
    ``annual_fee_income = annual_acquiring * U(0.002, 0.006) + 0.002 *
    monthly_avg_funds``; ``credit_line`` log-normal (median 300,000, log-sd
    0.8, rounded to 10,000) with a loan, else 0. Missing for others.
Corporate customers
    ``deposits`` log-normal (median 3,000,000, log-sd 1.2);
    ``fund_return_rate ~ Beta(6, 2.5)`` for borrowers (missing otherwise);
    ``e_products ~ min(Poisson(1.8), 6)``. Missing for others.
PII
    ``name`` (synthetic Chinese names from common surnames) and ``phone``.
    Reports must mask them.

The churn label
---------------
``churned ~ Bernoulli(sigmoid(L))`` with the latent logit

.. code-block:: text

    L = -3.55
        + 0.30 * months_inactive
        + 1.10 * max(-g, 0)                     # falling AUM (log scale)
        - 0.45 * (n_products - 3)
        + 0.90 * [tenure_months < 12] + 0.35 * [tenure_months < 36]
        + 0.90 * ((age - 45) / 20) ** 2         # young and old leave more
        - 0.50 * has_payroll
        + 0.60 * [credit_card == "inactive"]
        + 0.70 * u,   u ~ N(0, 1) unobserved

Every term except ``u`` can be computed from the table (the AUM fall as
``log(aum_prev / aum)``, except for accounts opened this quarter, whose
``aum_prev`` is 0), so a good model learns the label (ROC AUC about 0.8) but
cannot predict it perfectly; about 18% of customers churn. With the default
seed and 200,000 customers 17.8% churn: 41% of those inactive for 3 months
or more, 11% of those active every month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from segkit.data.schema import CREDIT_CARD_STATES, canonical_columns
from segkit.errors import SegkitError

__all__ = ["INDUSTRIES", "CHURN_COEFFICIENTS", "generate_bank"]

INDUSTRIES: dict[str, str] = {
    # 十行 ten trades
    "catering": "餐饮业",
    "construction": "建筑业",
    "clothing": "服装业",
    "trade": "商贸业",
    "logistics": "物流业",
    "tourism": "旅游业",
    "agency": "中介业",
    "housekeeping": "家政业",
    "entertainment": "娱乐业",
    "culture_sports": "文体业",
    # 八店 eight shops
    "restaurant": "饭店",
    "hotel": "宾馆",
    "barber": "理发店",
    "beauty_salon": "美容店",
    "clothing_shop": "服装店",
    "pharmacy": "药店",
    "convenience_store": "便利店",
    "franchise_chain": "连锁加盟店",
}
"""Merchant industry codes (十行八店: ten trades, eight shops) and their Chinese names."""

CHURN_COEFFICIENTS: dict[str, float] = {
    "intercept": -3.55,
    "months_inactive": 0.30,
    "aum_fall": 1.10,
    "n_products_minus_3": -0.45,
    "tenure_under_12m": 0.90,
    "tenure_under_36m": 0.35,
    "age_curve": 0.90,
    "has_payroll": -0.50,
    "card_inactive": 0.60,
    "unobserved_sd": 0.70,
}
"""Coefficients of the latent churn logit (see the module docstring)."""

_TYPES = np.array(["retail", "merchant", "corporate"])
_TYPE_P = [0.937, 0.06, 0.003]
_CUSTOMERS_PER_MANAGER = 750
_SURNAMES = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"))
_GIVEN = np.array(list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力永健世广志义兴良海山仁波宁贵福生龙元全胜学祥才发成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘雪梅琳素云莲真环红"))
_MOBILE_PREFIXES = np.array([130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 156, 157, 158, 159, 176, 177, 180, 181, 182, 183, 185, 186, 187, 188, 189, 198, 199])


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _text(values: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    """A pandas ``str`` column from a numpy string array (``missing`` -> NaN)."""
    return pd.Series(pd.array(pa.array(values, type=pa.large_string(), mask=missing), dtype="str"))


def _coded(codes: np.ndarray, labels: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    """A pandas ``str`` column of ``labels[codes]``, built without a Python string per row."""
    indices = pa.array(codes.astype(np.int32), mask=missing)
    dictionary = pa.DictionaryArray.from_arrays(indices, pa.array(labels, type=pa.large_string()))
    return pd.Series(pd.array(dictionary.cast(pa.large_string()), dtype="str"))


def _branch_codes(rng: np.random.Generator, n: int, n_branches: int) -> np.ndarray:
    shares = rng.dirichlet(np.full(n_branches, 8.0))
    codes = rng.choice(n_branches, size=n, p=shares)
    first = min(n, n_branches)
    codes[:first] = np.arange(first)  # every branch has a customer when n >= n_branches
    return codes


def _managers(rng: np.random.Generator, branch: np.ndarray, n_branches: int) -> tuple[np.ndarray, np.ndarray]:
    """Return per-customer global manager index and the manager id array."""
    sizes = np.bincount(branch, minlength=n_branches)
    counts = np.maximum(1, np.ceil(sizes / _CUSTOMERS_PER_MANAGER).astype(int))
    bounds = []
    names = []
    width = max(2, len(str(n_branches)))
    for b, count in enumerate(counts):  # loops over branches, not customers
        cum = np.cumsum(rng.dirichlet(np.full(count, 6.0)))
        cum[-1] = 1.0
        bounds.append(b + cum)
        mwidth = max(2, len(str(count)))
        names.extend(f"B{b + 1:0{width}d}-M{m + 1:0{mwidth}d}" for m in range(count))
    edges = np.concatenate(bounds)
    key = branch + rng.random(branch.size)
    index = np.searchsorted(edges, key, side="right")
    return index, np.array(names)


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    surname = _SURNAMES[rng.integers(0, _SURNAMES.size, n)]
    first = _GIVEN[rng.integers(0, _GIVEN.size, n)]
    second = _GIVEN[rng.integers(0, _GIVEN.size, n)]
    two = rng.random(n) < 0.7
    given = np.where(two, np.strings.add(first, second), first)
    return np.strings.add(surname, given)


def _phones(rng: np.random.Generator, n: int) -> np.ndarray:
    prefix = _MOBILE_PREFIXES[rng.integers(0, _MOBILE_PREFIXES.size, n)].astype(np.int64)
    return (prefix * 100_000_000 + rng.integers(0, 100_000_000, n)).astype("U11")


def generate_bank(n_customers: int = 200_000, n_branches: int = 20, seed: int = 20260930) -> pd.DataFrame:
    """Draw a synthetic bank snapshot in the canonical customer table.

    Parameters
    ----------
    n_customers : int
        Number of customers (rows), at least 1.
    n_branches : int
        Number of branches, at least 1.
    seed : int
        Seed of the random generator; the same arguments give an identical
        frame.

    Returns
    -------
    DataFrame
        One row per customer with every canonical column plus the PII
        columns ``name`` and ``phone``. Text columns have the ``str`` dtype
        (missing = NaN), flags ``bool``, counts and ``churned`` (0/1)
        ``Int64``, amounts ``float64``; merchant and corporate measures are
        missing for other customers. The dtypes are those
        :func:`segkit.data.schema.validate_customers` returns.

    Raises
    ------
    SegkitError
        If ``n_customers`` or ``n_branches`` is below 1.

    Examples
    --------
    >>> bank = generate_bank(1_000, 3, seed=1)
    >>> bank["branch_id"].unique().tolist()
    ['B01', 'B02', 'B03']
    """
    if int(n_customers) < 1 or int(n_branches) < 1:
        raise SegkitError(f"need at least 1 customer and 1 branch, got {n_customers} and {n_branches}")
    n, n_branches = int(n_customers), int(n_branches)
    rng = np.random.default_rng(seed)

    # --- who and where
    branch = _branch_codes(rng, n, n_branches)
    manager_index, manager_names = _managers(rng, branch, n_branches)
    type_code = rng.choice(3, size=n, p=_TYPE_P)
    retail, merchant, corporate = type_code == 0, type_code == 1, type_code == 2
    age = np.minimum(18 + np.floor(73 * rng.beta(2.0, 3.0, n)), 90).astype(np.int64)
    female = rng.random(n) < 0.5

    # --- income and wealth
    z_income = rng.standard_normal(n)
    log_income = np.log(72_000) - 0.6 * ((age - 48) / 22.0) ** 2 + 0.55 * z_income
    income = np.exp(log_income) * np.where(age > 62, 0.6, 1.0) * np.where(merchant, 1.6, 1.0)
    income = np.round(income, -2)
    effects = rng.normal(0.0, 0.2, n_branches)
    branch_effect = (effects - effects.mean())[branch]
    z_wealth = (0.55 * z_income + 0.30 * (age - 47) / 15.0 + 0.78 * rng.standard_normal(n) + branch_effect) / 1.03
    z_wealth = z_wealth + 0.4 * merchant
    aum = np.exp(np.log(11_300) + 1.88 * z_wealth)
    deposits = np.round(np.exp(np.log(3_000_000) + 1.2 * rng.standard_normal(n)), 2)
    aum = np.round(np.where(corporate, deposits, aum), 2)
    x = np.log(np.maximum(aum, 1.0) / 100_000)
    x_clip = np.clip(x, -3, 3)

    # --- drifting away
    d = 0.95 * rng.standard_normal(n) - 0.25 * z_wealth
    months_inactive = rng.binomial(12, _sigmoid(-3.0 + 1.6 * d)).astype(np.int64)
    tenure_years = np.minimum(rng.exponential(7.0, n), age - 18)
    tenure_months = (1 + np.floor(12 * tenure_years)).astype(np.int64)
    growth = 0.02 + 0.12 * rng.standard_normal(n) - 0.25 * np.maximum(d, 0) ** 2
    aum_prev = np.where(tenure_months <= 3, 0.0, np.round(aum * np.exp(-growth), 2))
    rate = np.exp(2.8 + 0.15 * x_clip - 0.5 * d + 0.7 * merchant) * (3 - np.minimum(months_inactive, 3)) / 3
    txn_count = rng.poisson(rate).astype(np.int64)
    ticket = np.exp(np.log(income / 80) + 0.5 * rng.standard_normal(n))
    txn_amount = np.round(txn_count * ticket, 2)

    # --- products
    def draw(p: np.ndarray | float) -> np.ndarray:
        return rng.random(n) < p

    working_age = (age >= 22) & (age <= 60)
    has_debit = draw(0.93) & ~corporate
    has_wealth = draw(_sigmoid(-0.7 + x - 0.4 * d)) & (aum >= 10_000)
    has_fund = draw(_sigmoid(-1.3 + 0.8 * x - 0.015 * (age - 45) - 0.3 * d)) & (aum >= 1_000)
    has_insurance = draw(_sigmoid(-1.6 + 0.5 * x + 0.025 * (age - 40) - 0.2 * d))
    has_payroll = draw(_sigmoid(-0.2 + 0.3 * z_income - 0.3 * d)) & retail & working_age
    has_pos = np.where(merchant, draw(0.9), np.where(corporate, draw(0.3), False))
    has_fx = np.where(corporate, draw(0.3), draw(_sigmoid(-2.8 + 0.6 * x - 0.02 * (age - 40))))
    loan_p = np.where(merchant, 0.45, np.where(corporate, 0.5, _sigmoid(-2.2 + 0.3 * z_income - 0.002 * (age - 38) ** 2)))
    has_loan = draw(loan_p)
    issued = draw(_sigmoid(0.5 * z_income - 0.04 * (age - 40))) & ~corporate & (age < 75)
    inactive_card = issued & draw(np.where(d > 1, 0.25, 0.15))
    active_card = issued & ~inactive_card
    card_code = np.where(active_card, 2, np.where(inactive_card, 1, 0))  # index into CREDIT_CARD_STATES
    autopay = active_card & has_debit & draw(0.6)
    n_products = (
        has_debit.astype(np.int64) + has_wealth + has_fund + has_insurance + has_payroll
        + has_pos + has_fx + has_loan + issued
    )

    # --- contact and knowledge
    has_contact = ~draw(_sigmoid(-4.0 + 0.6 * d - 0.3 * x))
    unassigned = draw(np.where(aum < 50_000, 0.12, 0.04))
    attention = rng.gamma(1.5, 1 / 1.5, n)
    contact_rate = (0.3 + 1.2 * (aum >= 50_000) + 3.0 * (aum >= 300_000) + 7.0 * (aum >= 1_000_000)) * attention
    contact_rate = contact_rate * np.where(unassigned, 0.3, 1.0) * has_contact
    contacts = rng.poisson(contact_rate).astype(np.int64)
    m = _sigmoid(-0.6 + 0.5 * np.log1p(contacts) + 0.3 * x_clip + 0.1 * np.sqrt(tenure_months / 12))
    kyc = rng.beta(8 * m, 8 * (1 - m)) * np.where(has_contact, 1.0, 0.5)
    kyc = np.clip(np.round(kyc, 2), 0.0, 1.0)

    # --- merchant and corporate measures
    codes = np.array(list(INDUSTRIES))
    industry_code = rng.integers(0, codes.size, n)
    funds = aum * np.exp(0.3 * rng.standard_normal(n))
    acquiring = np.where(has_pos, np.exp(np.log(1_200_000) + 1.1 * rng.standard_normal(n)), 0.0)
    fee = acquiring * rng.uniform(0.002, 0.006, n) + 0.002 * funds
    credit_line = np.where(has_loan, np.round(np.exp(np.log(300_000) + 0.8 * rng.standard_normal(n)), -4), 0.0)
    fund_return = rng.beta(6.0, 2.5, n)
    e_products = np.minimum(rng.poisson(1.8, n), 6).astype(np.float64)

    # --- the churn label
    c = CHURN_COEFFICIENTS
    logit = (
        c["intercept"]
        + c["months_inactive"] * months_inactive
        + c["aum_fall"] * np.maximum(-growth, 0)
        + c["n_products_minus_3"] * (n_products - 3)
        + c["tenure_under_12m"] * (tenure_months < 12)
        + c["tenure_under_36m"] * (tenure_months < 36)
        + c["age_curve"] * ((age - 45) / 20.0) ** 2
        + c["has_payroll"] * has_payroll
        + c["card_inactive"] * inactive_card
        + c["unobserved_sd"] * rng.standard_normal(n)
    )
    churned = (rng.random(n) < _sigmoid(logit)).astype(np.int64)

    # --- text columns (built last: the slowest part)
    width = max(2, len(str(n_branches)))
    branch_names = np.array([f"B{b + 1:0{width}d}" for b in range(n_branches)])
    names = _names(rng, n)
    phones = _phones(rng, n)
    ids = np.strings.add("C", np.strings.zfill(np.arange(1, n + 1).astype("U12"), max(8, len(str(n)))))
    nan = np.nan
    not_merchant = ~merchant
    frame = pd.DataFrame(
        {
            "customer_id": _text(ids),
            "branch_id": _coded(branch, branch_names),
            "manager_id": _coded(manager_index, manager_names, missing=unassigned),
            "customer_type": _coded(type_code, _TYPES),
            "name": _text(names),
            "phone": _text(phones, missing=~has_contact),
            "gender": _coded(female.astype(np.int32), np.array(["male", "female"])),
            "age": pd.array(age, dtype="Int64"),
            "income": income,
            "aum": aum,
            "aum_prev": aum_prev,
            "n_products": pd.array(n_products, dtype="Int64"),
            "has_debit_card": has_debit,
            "has_wealth": has_wealth,
            "has_fund": has_fund,
            "has_insurance": has_insurance,
            "has_payroll": has_payroll,
            "has_pos": has_pos,
            "has_fx": has_fx,
            "has_loan": has_loan,
            "credit_card": _coded(card_code, np.array(CREDIT_CARD_STATES)),
            "card_autopay_bound": autopay,
            "tenure_months": pd.array(tenure_months, dtype="Int64"),
            "months_inactive": pd.array(months_inactive, dtype="Int64"),
            "txn_count_3m": pd.array(txn_count, dtype="Int64"),
            "txn_amount_3m": txn_amount,
            "contacts_12m": pd.array(contacts, dtype="Int64"),
            "kyc_completeness": kyc,
            "has_contact": has_contact,
            "industry": _coded(industry_code, codes, missing=not_merchant),
            "monthly_avg_funds": np.where(merchant, np.round(funds, 2), nan),
            "annual_acquiring": np.where(merchant, np.round(acquiring, 2), nan),
            "annual_fee_income": np.where(merchant, np.round(fee, 2), nan),
            "credit_line": np.where(merchant, credit_line, nan),
            "deposits": np.where(corporate, deposits, nan),
            "fund_return_rate": np.where(corporate & has_loan, np.round(fund_return, 3), nan),
            "e_products": pd.array(np.where(corporate, e_products, nan), dtype="Int64"),
            "churned": pd.array(churned, dtype="Int64"),
        }
    )
    return frame[canonical_columns()]
