"""Tier schemes: band boundaries, ordering, and the schemes a bank must not load."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.config import load_params
from segkit.errors import ParamsError
from segkit.rules import apply_rules, assign_bands, load_scheme

from rules_helpers import ROOT, customers


@pytest.mark.parametrize(
    ("aum", "tier"),
    [
        (0, "mass"), (9_999, "mass"), (9_999.99, "mass"), (10_000, "potential"), (49_999.99, "potential"),
        (50_000, "quality"), (299_999.99, "quality"), (300_000, "key"), (999_999.99, "key"),
        (1_000_000, "core"), (8_000_000, "core"), (1e12, "core"),
    ],
)
def test_retail_pyramid_boundaries(params, aum, tier):
    assert assign_bands(pd.Series([aum]), params.schemes.tier).iloc[0] == tier


@pytest.mark.parametrize(
    ("aum", "level"),
    [
        (19_999.99, "none"), (20_000, "effective"), (99_999.99, "effective"), (100_000, "silver"),
        (499_999.99, "silver"), (500_000, "gold"), (999_999.99, "gold"), (1_000_000, "diamond"),
        (4_999_999.99, "diamond"), (5_000_000, "near_private"), (7_999_999.99, "near_private"),
        (8_000_000, "private"),
    ],
)
def test_vip_level_boundaries(params, aum, level):
    assert assign_bands(pd.Series([aum]), params.schemes.vip).iloc[0] == level


def test_missing_values_get_no_band(params):
    bands = assign_bands(pd.Series([np.nan, 5.0, None], dtype="float64"), params.schemes.tier)
    assert bands.isna().tolist() == [True, False, True]


CUSTOMER_ROWS = st.lists(
    st.tuples(st.floats(min_value=0, max_value=1e10, allow_nan=False), st.sampled_from(["retail", "merchant", "corporate"])),
    min_size=1,
    max_size=50,
)


@settings(max_examples=200, deadline=None)
@given(CUSTOMER_ROWS)
def test_every_retail_and_merchant_customer_gets_exactly_one_tier_and_more_aum_never_lowers_it(params, rows):
    rows = sorted(rows)
    frame = customers([{"aum": aum, "customer_type": kind, "deposits": aum if kind == "corporate" else None} for aum, kind in rows])
    out = apply_rules(frame, params)
    corporate = (frame["customer_type"] == "corporate").to_numpy()
    for column, scheme in (("tier", params.schemes.tier), ("vip_level", params.schemes.vip)):
        assert out[column][corporate].isna().all(), f"a corporate customer got a {column}"
        bands = out[column][~corporate]
        assert bands.notna().all()
        assert (np.diff(bands.cat.codes.to_numpy()) >= 0).all()
        for value, code in zip(frame["aum"][~corporate], bands, strict=True):
            band = next(b for b in scheme.bands if b.code == code)
            assert band.lower <= value and (band.upper is None or value < band.upper)
    assert out["corporate_level"][corporate].notna().all() and out["corporate_level"][~corporate].isna().all()


BASE = [
    {"code": "low", "zh": "低", "en": "Low", "lower": 0, "upper": 100},
    {"code": "mid", "zh": "中", "en": "Mid", "lower": 100, "upper": 200},
    {"code": "top", "zh": "高", "en": "Top", "lower": 200},
]


def _write_scheme(tmp_path, bands, name="my_scheme"):
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"name": name, "column": "aum", "bands": bands}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda b: b[1].update(lower=120), ["gap", "'low'", "'mid'"]),
        (lambda b: b[1].update(lower=80), ["overlap", "'low'", "'mid'"]),
        (lambda b: b.insert(0, b.pop(1)), ["not sorted"]),
        (lambda b: b[0].update(lower=-10), ["negative", "'low'"]),
        (lambda b: b[2].update(code="mid"), ["duplicate", "mid"]),
        (lambda b: b[2].update(upper=300), ["missing open top band", "'top'"]),
        (lambda b: b[1].pop("upper"), ["'mid'", "no upper bound but is not the last"]),
        (lambda b: b.clear(), ["no bands"]),
    ],
    ids=["gap", "overlap", "unsorted", "negative", "duplicate", "no-open-top", "open-middle", "empty"],
)
def test_bad_schemes_are_rejected_naming_the_problem(tmp_path, change, words):
    bands = [dict(band) for band in BASE]
    change(bands)
    path = _write_scheme(tmp_path, bands)
    with pytest.raises(ParamsError) as info:
        load_scheme(path)
    message = str(info.value)
    assert "my_scheme" in message
    for word in words:
        assert word in message


def test_a_bad_scheme_fails_the_params_file_with_its_location(tmp_path):
    bands = [dict(band) for band in BASE]
    bands[1]["lower"] = 150
    _write_scheme(tmp_path, bands)
    (tmp_path / "run.yaml").write_text(
        "name: t\nas_of: 2026-06-30\nschemes: {tier: my_scheme.yaml, vip: my_scheme.yaml}\n", encoding="utf-8"
    )
    with pytest.raises(ParamsError) as info:
        load_params(tmp_path / "run.yaml")
    assert "schemes.tier" in str(info.value) and "gap between 'low' (upper 100.0) and 'mid' (lower 150.0)" in str(info.value)


def test_a_bank_adds_its_own_scheme_in_yaml_only(tmp_path):
    """A four-band pyramid with other codes works end to end with no code change."""
    bands = [
        {"code": "c", "zh": "丙", "en": "C", "lower": 0, "upper": 1000},
        {"code": "b", "zh": "乙", "en": "B", "lower": 1000, "upper": 5000},
        {"code": "a", "zh": "甲", "en": "A", "lower": 5000, "upper": 20000},
        {"code": "s", "zh": "特", "en": "S", "lower": 20000},
    ]
    _write_scheme(tmp_path, bands, "house")
    (tmp_path / "run.yaml").write_text(
        "name: t\nas_of: 2026-06-30\nschemes:\n  tier: house.yaml\n  vip: house.yaml\n"
        "rules:\n  matrix:\n    asset_levels: {high: [s], mid: [a], low: [b, c]}\n",
        encoding="utf-8",
    )
    params = load_params(tmp_path / "run.yaml")
    out = apply_rules(customers([{"aum": 999}, {"aum": 1000}, {"aum": 19_999}, {"aum": 20_000}]), params)
    assert out["tier"].tolist() == ["c", "b", "a", "s"]
    assert out["asset_level"].tolist() == ["low", "low", "mid", "high"]


def test_shipped_schemes_load():
    for path in sorted((ROOT / "params" / "schemes").glob("*levels.yaml")) + [ROOT / "params/schemes/retail_pyramid.yaml"]:
        assert load_scheme(path).bands


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(1, 10**9), min_size=1, max_size=8, unique=True),
    st.lists(st.floats(min_value=0, max_value=2e9, allow_nan=False), min_size=1, max_size=40),
)
def test_any_valid_scheme_gives_exactly_one_band_that_never_falls_with_more_aum(cuts, values):
    """Property over schemes a bank might write, not only the shipped ones."""
    from segkit.config import Scheme

    edges = [0, *sorted(cuts)]
    bands = [
        {"code": f"b{i}", "zh": f"档{i}", "en": f"Band {i}", "lower": low, **({"upper": edges[i + 1]} if i + 1 < len(edges) else {})}
        for i, low in enumerate(edges)
    ]
    scheme = Scheme.model_validate({"name": "house", "bands": bands})
    values = sorted(values)
    codes = assign_bands(pd.Series(values), scheme).cat.codes.to_numpy()
    assert (codes >= 0).all() and (np.diff(codes) >= 0).all()
    for value, code in zip(values, codes, strict=True):
        upper = edges[code + 1] if code + 1 < len(edges) else np.inf
        assert edges[code] <= value < upper
