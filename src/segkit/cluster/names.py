"""Describe clusters in words: what sets each one apart from the whole bank.

A cluster's *effect* on a feature column is the difference between the
cluster's mean and the bank's mean of the encoded column, in units of the
bank's standard deviation (a standardised mean difference). Features whose
effect is at least :data:`DISTINCT` in size set the cluster apart; the three
largest make its name, e.g. "young, high income, few products" /
"年轻、高收入、产品少".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DISTINCT = 0.3
"""Smallest |standardised difference| that counts as distinctive."""

N_WORDS = 3

# feature -> ((en low, en high), (zh low, zh high))
WORDS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "age": (("young", "older"), ("年轻", "年长")),
    "income": (("low income", "high income"), ("低收入", "高收入")),
    "aum": (("low assets", "high assets"), ("低资产", "高资产")),
    "aum_prev": (("low prior assets", "high prior assets"), ("上期资产低", "上期资产高")),
    "n_products": (("few products", "many products"), ("产品少", "产品多")),
    "tenure_months": (("new to the bank", "long-standing"), ("新客户", "老客户")),
    "months_inactive": (("active", "dormant"), ("活跃", "沉睡")),
    "txn_count_3m": (("few transactions", "frequent transactions"), ("交易少", "交易频繁")),
    "txn_amount_3m": (("low spending", "high spending"), ("交易额低", "交易额高")),
    "contacts_12m": (("rarely contacted", "often contacted"), ("联系少", "联系多")),
    "kyc_completeness": (("little known", "well known"), ("了解少", "了解充分")),
    "has_wealth": (("no wealth products", "wealth holders"), ("无理财", "持有理财")),
    "has_fund": (("no funds", "fund holders"), ("无基金", "持有基金")),
    "has_insurance": (("no insurance", "insured"), ("无保险", "持有保险")),
    "has_payroll": (("no payroll", "payroll"), ("非代发", "代发薪")),
    "has_pos": (("no POS", "POS merchants"), ("无收单", "商户收单")),
    "has_fx": (("no FX", "FX users"), ("无结售汇", "结售汇")),
    "has_loan": (("no loan", "borrowers"), ("无贷款", "有贷款")),
    "has_debit_card": (("no debit card", "debit card"), ("无借记卡", "持借记卡")),
    "card_autopay_bound": (("card not bound", "card bound"), ("未绑定还款", "已绑定还款")),
    "has_contact": (("no contact details", "reachable"), ("无联系方式", "可联系")),
    "churned": (("staying", "churned"), ("留存", "已流失")),
    "IsActiveMember": (("inactive members", "active members"), ("非活跃会员", "活跃会员")),
    "CreditScore": (("low credit score", "high credit score"), ("信用分低", "信用分高")),
}

LEVEL_WORDS: dict[str, tuple[str, str]] = {
    "credit_card=none": ("no credit card", "无信用卡"),
    "credit_card=active": ("active credit card", "信用卡活跃"),
    "credit_card=inactive": ("unactivated credit card", "信用卡未激活"),
    "customer_type=retail": ("retail", "个人客户"),
    "customer_type=merchant": ("merchants", "商户"),
    "customer_type=corporate": ("corporate", "对公客户"),
    "gender=female": ("mostly women", "女性为主"),
    "gender=male": ("mostly men", "男性为主"),
}

TYPICAL = ("typical customers", "普通客户")


def effects(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Standardised mean difference of each cluster on each column of ``X``.

    Returns
    -------
    ndarray of shape (k, n_columns)
        0 for columns without variation and for empty clusters.
    """
    mean, std = X.mean(axis=0), X.std(axis=0)
    std = np.where(std > 0, std, np.inf)
    out = np.zeros((k, X.shape[1]))
    for cluster in range(k):
        members = labels == cluster
        if members.any():
            out[cluster] = (X[members].mean(axis=0) - mean) / std
    return out


def _word(column: str, effect: float) -> tuple[str, str] | None:
    """English and Chinese words for one distinctive column, or None."""
    if "=" in column:
        if effect <= 0:  # "fewer merchants than the bank" does not describe a group
            return None
        feature, level = column.split("=", 1)
        return LEVEL_WORDS.get(column, (f"mostly {feature} {level}", f"{feature}以{level}为主"))
    high = effect > 0
    if column in WORDS:
        en, zh = WORDS[column]
        return en[high], zh[high]
    return (f"{'high' if high else 'low'} {column}", f"{column}{'高' if high else '低'}")


def describe(row: np.ndarray, columns: Sequence[str], limit: int | None = None) -> list[tuple[str, str, str, float]]:
    """Distinctive columns of one cluster, strongest first.

    Returns
    -------
    list of (column, en, zh, effect)
    """
    found = []
    for index in np.argsort(-np.abs(row), kind="stable"):
        if abs(row[index]) < DISTINCT:
            break
        word = _word(columns[index], float(row[index]))
        if word is not None:
            found.append((columns[index], word[0], word[1], float(row[index])))
        if limit is not None and len(found) == limit:
            break
    return found


def name_clusters(effect_table: np.ndarray, columns: Sequence[str]) -> tuple[dict[int, str], dict[int, str]]:
    """Short unique English and Chinese names from an :func:`effects` table.

    Each name joins the :data:`N_WORDS` most distinctive features; clusters
    that would share a name get more words, then their id.
    """
    words = [describe(row, columns) for row in effect_table]
    n_words = [N_WORDS] * len(words)

    def names(index: int) -> tuple[str, str]:
        chosen = words[index][: n_words[index]]
        if not chosen:
            return TYPICAL
        return ", ".join(w[1] for w in chosen), "、".join(w[2] for w in chosen)

    for _ in range(max((len(w) for w in words), default=0)):
        current = [names(i) for i in range(len(words))]
        clashes = [i for i, name in enumerate(current) if [c[0] for c in current].count(name[0]) > 1]
        extendable = [i for i in clashes if n_words[i] < len(words[i])]
        if not extendable:
            break
        for i in extendable:
            n_words[i] += 1
    current = [names(i) for i in range(len(words))]
    en = [c[0] for c in current]
    en_names, zh_names = {}, {}
    for i, (name_en, name_zh) in enumerate(current):
        suffix = f" ({i})" if en.count(name_en) > 1 else ""
        en_names[i], zh_names[i] = name_en + suffix, name_zh + suffix
    return en_names, zh_names
