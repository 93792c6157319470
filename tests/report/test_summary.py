"""The bank summary: the whole bank's figures, added up one branch at a time."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from segkit.report import views
from segkit.report.sections import in_language
from segkit.report.summary import FILE, BankSummary, bank_summary, kpis_from_totals, summarise, write_bank_summary
from segkit.scored import Scored


@pytest.fixture(scope="module")
def scored(scored_dir) -> Scored:
    return Scored.open(scored_dir)


@pytest.fixture(scope="module")
def bank(scored) -> pd.DataFrame:
    return scored.customers()


def test_totals_equal_the_figures_of_the_whole_bank(scored, bank):
    summary = summarise(scored)
    assert summary.branches == bank["branch_id"].nunique() == len(summary.branch_kpis())
    assert kpis_from_totals(summary.totals) == pytest.approx(views.branch_kpis(bank))


def test_every_branch_row_equals_that_branch_alone(scored, bank):
    table = summarise(scored).branch_kpis().set_index("branch_id")
    for branch_id, part in bank.groupby("branch_id", sort=True):
        assert table.loc[branch_id].dropna().to_dict() == pytest.approx(views.branch_kpis(part))
    assert list(table.index) == sorted(table.index)


def test_pyramid_classes_and_clusters_equal_the_whole_bank(scored, bank):
    summary = summarise(scored)
    codes = scored.params.schemes.tier.codes
    pd.testing.assert_frame_equal(summary.tier_counts(codes), views.tier_counts(bank, codes), check_names=False)
    labels = views.class_labels(scored.params, "zh")
    pd.testing.assert_frame_equal(summary.class_summary(labels), views.class_summary(bank, labels, "zh"))
    for language in ("zh", "en"):
        expected = views.cluster_shares(in_language(bank, language))
        pd.testing.assert_frame_equal(summary.cluster_shares(language), expected[summary.cluster_shares(language).columns],
                                      check_dtype=False)


def test_the_stored_summary_round_trips_and_is_read_back(scored_dir, tmp_path):
    copy = tmp_path / "scored"
    shutil.copytree(scored_dir, copy)
    scored = Scored.open(copy)
    computed = summarise(scored)
    assert BankSummary.from_json(computed.to_json()).to_json() == computed.to_json()
    assert bank_summary(scored).to_json() == computed.to_json()  # computed when the file is absent
    write_bank_summary(scored)
    assert (copy / FILE).read_text(encoding="utf-8") == computed.to_json()
    stored = json.loads(computed.to_json())
    stored["totals"]["customers"] += 1
    (copy / FILE).write_text(json.dumps(stored), encoding="utf-8")
    assert bank_summary(scored).totals["customers"] == computed.totals["customers"] + 1  # the file is what is read


def test_the_summary_holds_no_customer(scored, bank):
    text = summarise(scored).to_json()
    for column in ("customer_id", "name", "phone", "manager_id"):
        values = bank[column].dropna().astype(str).unique()
        assert not any(value in text for value in values[:200]), column
