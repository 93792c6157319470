"""The rule grammar: value tests give the same answer on every column kind."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.config import Condition
from segkit.rules.conditions import evaluate

CODES = ["mass", "potential", "quality", "key", "core"]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.sampled_from(CODES)), min_size=1, max_size=30),
    st.lists(st.sampled_from([*CODES, "privat"]), min_size=1, max_size=3),
    st.sampled_from(["in", "not_in"]),
)
def test_categorical_and_text_columns_agree(labels, values, op):
    text = pd.Series(labels, dtype="str")
    categorical = pd.Series(pd.Categorical(labels, categories=pd.Index(CODES, dtype="str"), ordered=True))
    rule = Condition(column="tier", op=op, value=values)
    on_text = evaluate(rule, lambda _: text, len(text))
    on_codes = evaluate(rule, lambda _: categorical, len(text))
    assert (on_text.true == on_codes.true).all() and (on_text.unknown == on_codes.unknown).all()
    expected = text.isin(values).to_numpy(bool) if op == "in" else ~text.isin(values).to_numpy(bool)
    assert (on_codes.true == (expected & text.notna().to_numpy())).all()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=30), st.sampled_from([True, False]), st.sampled_from(["==", "!="]))
def test_bool_columns_agree_with_nullable_ones(flags, value, op):
    plain = pd.Series(flags, dtype=bool)
    nullable = plain.astype("boolean")
    rule = Condition(column="has_wealth", op=op, value=value)
    on_plain = evaluate(rule, lambda _: plain, len(plain)).true
    on_nullable = evaluate(rule, lambda _: nullable, len(plain)).true
    assert (on_plain == on_nullable).all() and (on_plain == ((plain == value) == (op == "=="))).all()
