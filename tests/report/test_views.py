"""Report tables: KPIs, action lists, books, and graceful degradation."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from segkit.report import calls, views


@pytest.fixture
def customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C3", "C4", "C5"],
            "branch_id": ["B1"] * 5,
            "manager_id": pd.Series(["M1", "M1", None, "M2", "M1"], dtype="str"),
            "aum": [500_000.0, 20_000.0, 3_000.0, 80_000.0, 1_200_000.0],
            "aum_prev": [400_000.0, 20_000.0, 3_000.0, 100_000.0, 1_200_000.0],
            "name": ["张三", "李四", "王五", "赵六", "钱七"],
            "phone": ["13800000001", "13800000002", None, "13800000004", "13800000005"],
            "card_state": pd.Series(["card_inactive", "card_no_autopay", None, "card_active", "card_inactive"], dtype="str"),
            "has_payroll": [True, True, False, True, False],
            "has_fund": [False, True, False, False, False],
            "has_contact": [True, True, False, True, True],
            "churn_band": ["high", "low", "low", "high", "medium"],
            "churn_score": [0.7, 0.1, 0.05, 0.6, 0.3],
            "value_at_risk": [350_000.0, 2_000.0, 150.0, 48_000.0, 360_000.0],
            "churn_reason_1_en": ["inactive 6 months", "a", "b", "assets down", "c"],
            "churn_reason_2_en": pd.Series(["few transactions", None, None, None, None], dtype="str"),
            "churn_reason_1_zh": ["6个月无交易", "甲", "乙", "资产下降", "丙"],
            "churn_reason_2_zh": pd.Series(["交易少", None, None, None, None], dtype="str"),
            "asset_level": ["high", "low", "low", "mid", "high"],
        }
    )


def test_kpis_count_what_a_branch_president_reads(customers):
    kpis = views.branch_kpis(customers)
    assert kpis["customers"] == 5
    assert kpis["aum_total"] == pytest.approx(1_803_000.0)
    assert kpis["aum_change"] == pytest.approx(1_803_000 / 1_723_000 - 1)
    assert (kpis["churn_high"], kpis["unassigned"], kpis["red_list"], kpis["inactive_cards"], kpis["high_value"]) == (
        2, 1, 1, 2, 2)


def test_call_list_holds_each_list_with_the_right_customers(customers):
    table = views.call_list(customers, "en")
    by_list = table.groupby("list", sort=False)["customer_id"].apply(list).to_dict()
    assert by_list[views.LISTS["churn_high"]["en"]] == ["C1", "C4"]  # largest value at risk first
    assert by_list[views.LISTS["card_inactive"]["en"]] == ["C5", "C1"]  # largest AUM first
    assert by_list[views.LISTS["card_no_autopay"]["en"]] == ["C2"]
    assert by_list[views.LISTS["payroll_no_fund"]["en"]] == ["C1", "C4"]
    assert by_list[views.LISTS["unassigned"]["en"]] == ["C3"]
    assert by_list[views.LISTS["red_list"]["en"]] == ["C3"]
    first = table.iloc[0]
    assert first["reason"] == "inactive 6 months; few transactions" and first["phone"] == "13800000001"
    assert views.call_list(customers, "zh").iloc[0]["reason"] == "6个月无交易; 交易少"
    assert list(views.top_churn(customers, 2, "zh")["reasons"]) == ["丙", "6个月无交易; 交易少"]


def test_call_list_degrades_without_optional_columns(customers):
    bare = customers[["customer_id", "branch_id", "aum"]]
    assert views.call_list(bare, "zh").empty
    assert views.matrix_counts(bare, "zh").empty and views.man_summary(bare).empty
    assert views.top_churn(bare, 5, "zh").empty and views.manager_books(bare, 800, "zh").empty
    assert set(views.branch_kpis(bare)) == {"customers", "aum_total", "aum_mean"}


def test_manager_books_flag_managers_over_the_cap(customers):
    books = views.manager_books(customers, cap=2, language="en")
    assert books["manager_id"].tolist() == ["M1", "M2", "(unassigned)"]
    assert books["customers"].tolist() == [3, 1, 1]
    assert books["over_cap"].tolist() == [1, 0, 0]


def test_html_tables_mask_names_and_phones(customers):
    page = views.table(views.call_list(customers, "zh"), "zh", money=["aum"])._repr_html_()
    assert "13800000001" not in page and "张三" not in page
    assert "138****0001" in page and "张*" in page


def test_call_list_files_keep_full_contacts_and_are_reproducible(customers, tmp_path):
    first = calls.write_call_lists(customers, tmp_path / "a", "B1-x", language="zh")
    second = calls.write_call_lists(customers, tmp_path / "b", "B1-x", language="zh")
    assert [p.name for p in first] == ["B1-x-calls.csv", "B1-x-calls.xlsx"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    frame = pd.read_csv(first[0], encoding="utf-8-sig", dtype=str)
    assert "13800000001" in frame[views.t("phone", "zh")].tolist()
    rows = list(openpyxl.load_workbook(io.BytesIO(first[1].read_bytes())).active.values)
    assert rows[0][:2] == (views.t("list", "zh"), views.t("customer_id", "zh"))
    assert len(rows) - 1 == len(frame)


def test_a_call_list_longer_than_a_sheet_continues_on_the_next(customers):
    frame = views.call_list(customers, "en")
    book = openpyxl.load_workbook(io.BytesIO(calls.xlsx_bytes(frame, sheet_rows=4)))
    sheets = -(-len(frame) // 4)
    assert sheets > 1 and book.sheetnames == ["calls", *(f"calls {number}" for number in range(2, sheets + 1))]
    rows = [row for sheet in book.worksheets for row in list(sheet.values)[1:]]
    assert [row[1] for row in rows] == frame["customer_id"].tolist()
    assert all(list(sheet.values)[0] == tuple(frame.columns) for sheet in book.worksheets)
    assert rows[0][frame.columns.get_loc("aum")] == frame["aum"].iloc[0]  # numbers stay numbers


def test_downgraded_customers_are_listed_by_the_assets_they_lost(customers, params):
    labels = views.band_labels(params.schemes.vip, "zh")
    table = views.downgraded(customers, params.schemes.vip, labels, n=5)
    assert table["customer_id"].tolist() == ["C4"]  # 100,000 -> 80,000: silver to effective
    assert (table.loc[0, "previous"], table.loc[0, "current"]) == (labels["silver"], labels["effective"])
    assert table.loc[0, "name"] == "赵六"
    assert views.downgraded(customers.drop(columns="aum_prev"), params.schemes.vip, labels, n=5).empty


def test_the_data_check_names_absent_columns_and_real_gaps():
    profile = {"rows": 200, "columns": ["customer_id", "branch_id", "aum", "phone", "deposits"], "absent": ["age"],
               "missing_values": {"phone": 10, "deposits": 190}}
    check = views.data_check({"path": "/exports/customers.parquet", "rows": 200, "sha256": "ab" * 32}, 3, profile, "en")
    values = dict(zip(check["item"], check["value"], strict=True))
    assert values["Input"] == "customers.parquet" and values["Customers"] == "200" and values["Branches"] == "3"
    assert values["Optional columns absent (features skipped)"].startswith("age: ")
    gaps = views.missing_values(profile, "en")
    assert gaps.to_dict(orient="list") == {"column": ["phone"], "missing": [10], "share": [0.05]}  # deposits: corporates only


@pytest.mark.parametrize(
    ("evaluation", "expected_en", "expected_zh"),
    [
        ({"evaluation": "cross_fit", "cv_folds": 5, "n_rows": 3_000}, "(5-fold cross-validation: ROC AUC 0.812", "（5 折交叉验证"),
        ({"evaluation": "held_out", "cv_folds": 5, "n_rows": 40_000}, "(tested on 40,000 customers held out of training: ROC AUC 0.812",
         "（用 40,000 名未参与训练的客户检验"),
    ],
)
def test_the_model_note_says_how_the_figures_were_measured(evaluation, expected_en, expected_zh):
    churn = {"method": "model", "evaluated": True, "roc_auc": 0.8123, "brier": 0.11, **evaluation}
    assert expected_en in views.churn_method(churn, "en") and expected_zh in views.churn_method(churn, "zh")
    per_fold = views.model_metrics({**churn, "roc_auc_folds": [0.81, 0.82]}, "en")
    assert "0.810 / 0.820" in per_fold["value"].tolist()
    assert views.churn_method({"method": "heuristic", "evaluated": False}, "en").startswith("Churn risk is a heuristic")
