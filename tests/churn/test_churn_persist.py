"""The fitted scorer is saved safely (skops) with a model card, and reloads to the same scores."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from segkit.churn import ChurnScorer, HeuristicChurnScorer, evaluate, model_card
from segkit.errors import SegkitError
from segkit.persist import load_model, save_model

AS_OF = dt.date(2026, 9, 30)


def test_saved_model_reloads_to_identical_scores(tmp_path: Path, bank_scorer: ChurnScorer, demo_bank: pd.DataFrame, bank_scored: pd.DataFrame) -> None:
    path = save_model(bank_scorer, tmp_path / "churn.skops")
    assert path.is_file()
    assert not list(tmp_path.glob("*.tmp*")), "written atomically, no temporary file left"
    loaded = load_model(path)
    assert isinstance(loaded, ChurnScorer)
    assert loaded.get_params() == bank_scorer.get_params()
    sample = demo_bank.iloc[::7]
    pd.testing.assert_frame_equal(loaded.score(sample), bank_scored.loc[sample.index, loaded.score(sample).columns])
    pd.testing.assert_frame_equal(loaded.explain(sample.head(500)), bank_scorer.explain(sample.head(500)))
    pd.testing.assert_frame_equal(loaded.drivers_table(), bank_scorer.drivers_table())
    assert evaluate(loaded) == evaluate(bank_scorer)


def test_saved_heuristic_reloads(tmp_path: Path, heuristic: HeuristicChurnScorer, small_bank: pd.DataFrame) -> None:
    loaded = load_model(save_model(heuristic, tmp_path / "heuristic.skops"))
    pd.testing.assert_frame_equal(loaded.score(small_bank), heuristic.score(small_bank))


def test_model_card_describes_data_features_metrics_and_date(bank_scorer: ChurnScorer) -> None:
    metrics = evaluate(bank_scorer)
    card = model_card(bank_scorer, as_of=AS_OF, metrics=metrics)
    json.dumps(card)  # written as churn_card.json
    assert card["method"] == "model" and card["model"] == "hgb"
    assert card["date"] == "2026-09-30"
    assert len(card["data_fingerprint"]) == 64 and int(card["data_fingerprint"], 16) >= 0
    assert card["data_fingerprint"] == bank_scorer.data_fingerprint_
    assert [feature["name"] for feature in card["features"]] == bank_scorer.features_
    kinds = {feature["name"]: feature["kind"] for feature in card["features"]}
    assert kinds["branch_id"] == "categorical" and kinds["months_inactive"] == "numeric"
    assert card["metrics"] == metrics and 0.5 < card["metrics"]["roc_auc"] < 1
    assert card["n_rows"] == card["n_train"] == 20_000
    assert card["bands"] == {"high": 0.5, "medium": 0.2}
    assert card["drivers"][0]["feature"] == bank_scorer.drivers_table()["feature"].iloc[0]
    assert len(card["drivers"]) == 10
    assert card["versions"]["segkit"] and card["versions"]["scikit-learn"]
    assert card["attribution"]["r2"] == bank_scorer.attribution_r2_ and "partial dependence" in card["attribution"]["method"]
    # the card never reads the clock: same inputs, same card
    assert model_card(bank_scorer, as_of=AS_OF, metrics=metrics) == card


def test_fingerprint_follows_the_training_data(small_bank: pd.DataFrame) -> None:
    frame = small_bank.head(1_500)

    def fingerprint(data: pd.DataFrame, **settings: object) -> str:
        return ChurnScorer(**{"cv": 2, "max_iter": 5, **settings}).fit(data).data_fingerprint_

    base = fingerprint(frame)
    assert fingerprint(frame, learning_rate=0.3, random_state=9) == base  # data, not settings
    flipped = frame["churned"].copy()
    flipped.iloc[0] = 1 - flipped.iloc[0]
    assert fingerprint(frame.assign(churned=flipped)) != base
    assert fingerprint(frame.assign(age=frame["age"] + 1)) != base
    # columns the model does not use do not change it
    assert fingerprint(frame.assign(name="someone else")) == base


def test_loading_refuses_foreign_functions(tmp_path: Path) -> None:
    import functools
    import os

    import skops.io as sio

    path = tmp_path / "evil.skops"
    path.write_bytes(sio.dumps({"call": functools.partial(os.system, "echo owned")}))
    with pytest.raises(SegkitError, match="system"):
        load_model(path)
