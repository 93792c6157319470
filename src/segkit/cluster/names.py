"""Describe clusters in words: what sets each one apart from the whole bank.

A cluster's *effect* on a feature column is the difference between the
cluster's mean and the bank's mean of the encoded column, in units of the
bank's standard deviation (a standardised mean difference). Features whose
effect is at least :data:`DISTINCT` in size set the cluster apart; the three
strongest make its name, e.g. "younger, higher income, fewer products" /
"较年轻、收入较高、产品较少".

The words compare the cluster with the whole bank ("higher assets",
"资产较多"), so a name stays true whatever the bank's level: a cluster whose
median AUM is 40,000 has higher assets than a bank whose median is 10,000,
but it is not "high assets" in the sense of the asset tiers. Features that
say the same thing share a theme (:data:`THEME_OF`: inactive months,
transaction counts and amounts are all *activity*), and a name uses each
theme once, through its strongest feature.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DISTINCT = 0.3
"""Smallest |standardised difference| that counts as distinctive."""

N_WORDS = 3

THEME_OF: dict[str, tuple[str, int]] = {
    "months_inactive": ("activity", -1),
    "txn_count_3m": ("activity", 1),
    "txn_amount_3m": ("activity", 1),
    "IsActiveMember": ("activity", 1),
    "aum": ("assets", 1),
    "aum_prev": ("assets", 1),
}
"""Feature -> (theme, direction): ``-1`` when a high value is the low end of the theme.
Features not listed are a theme of their own."""

# theme -> ((en lower, en higher), (zh lower, zh higher))
WORDS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "age": (("younger", "older"), ("较年轻", "较年长")),
    "income": (("lower income", "higher income"), ("收入较低", "收入较高")),
    "assets": (("lower assets", "higher assets"), ("资产较少", "资产较多")),
    "activity": (("less active", "more active"), ("活跃度低", "活跃度高")),
    "n_products": (("fewer products", "more products"), ("产品较少", "产品较多")),
    "tenure_months": (("newer to the bank", "longer with the bank"), ("新客较多", "老客较多")),
    "contacts_12m": (("contacted less", "contacted more"), ("联系较少", "联系较多")),
    "kyc_completeness": (("less known", "better known"), ("了解较少", "了解较多")),
    "has_wealth": (("fewer wealth holders", "more wealth holders"), ("理财户较少", "理财户较多")),
    "has_fund": (("fewer fund holders", "more fund holders"), ("基金户较少", "基金户较多")),
    "has_insurance": (("fewer insured", "more insured"), ("保险户较少", "保险户较多")),
    "has_payroll": (("fewer on payroll", "more on payroll"), ("代发户较少", "代发户较多")),
    "has_pos": (("fewer POS merchants", "more POS merchants"), ("收单商户较少", "收单商户较多")),
    "has_fx": (("fewer FX users", "more FX users"), ("结售汇户较少", "结售汇户较多")),
    "has_loan": (("fewer borrowers", "more borrowers"), ("贷款户较少", "贷款户较多")),
    "has_debit_card": (("fewer debit cards", "more debit cards"), ("借记卡较少", "借记卡较多")),
    "card_autopay_bound": (("fewer cards on autopay", "more cards on autopay"), ("绑卡还款较少", "绑卡还款较多")),
    "has_contact": (("fewer reachable", "more reachable"), ("可联系较少", "可联系较多")),
    "churned": (("fewer churned", "more churned"), ("流失较少", "流失较多")),
    "CreditScore": (("lower credit score", "higher credit score"), ("信用分较低", "信用分较高")),
}

LEVEL_WORDS: dict[str, tuple[str, str]] = {
    "credit_card=none": ("more without a credit card", "无信用卡较多"),
    "credit_card=active": ("more active credit cards", "信用卡活跃较多"),
    "credit_card=inactive": ("more unactivated credit cards", "信用卡未激活较多"),
    "customer_type=retail": ("more retail", "个人客户较多"),
    "customer_type=merchant": ("more merchants", "商户较多"),
    "customer_type=corporate": ("more corporate", "对公客户较多"),
    "gender=female": ("more women", "女性较多"),
    "gender=male": ("more men", "男性较多"),
}
"""Words for a level of a categorical feature that is more common than in the bank."""

TYPICAL = ("close to the bank average", "接近全行平均")
"""Name of a cluster where nothing stands out."""


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


def theme(column: str) -> tuple[str, int]:
    """Theme and direction of an encoded column (``"credit_card=active"`` is theme ``credit_card``)."""
    feature = column.split("=", 1)[0]
    return THEME_OF.get(feature, (feature, 1))


def _word(column: str, effect: float) -> tuple[str, str] | None:
    """English and Chinese words for one distinctive column, or None."""
    if "=" in column:
        if effect <= 0:  # "fewer merchants than the bank" does not describe a group
            return None
        feature, level = column.split("=", 1)
        return LEVEL_WORDS.get(column, (f"more {feature} {level}", f"{feature}为{level}较多"))
    name, direction = theme(column)
    higher = effect * direction > 0
    if name in WORDS:
        en, zh = WORDS[name]
        return en[higher], zh[higher]
    return (f"{'higher' if higher else 'lower'} {column}", f"{column}{'较高' if higher else '较低'}")


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


def name_words(row: np.ndarray, columns: Sequence[str]) -> list[tuple[str, str, str, float]]:
    """The candidate words of a cluster's name: :func:`describe`, one per theme, strongest first."""
    seen: set[str] = set()
    words = []
    for word in describe(row, columns):
        name = theme(word[0])[0]
        if name not in seen:
            seen.add(name)
            words.append(word)
    return words


def name_clusters(effect_table: np.ndarray, columns: Sequence[str]) -> tuple[dict[int, str], dict[int, str]]:
    """Short unique English and Chinese names from an :func:`effects` table.

    Each name joins the :data:`N_WORDS` strongest :func:`name_words`;
    clusters that would share a name get more words, then their id.
    """
    words = [name_words(row, columns) for row in effect_table]
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
