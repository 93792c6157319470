"""Names and phone numbers are masked before they reach a report page."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from segkit.report.mask import mask_frame, mask_names, mask_phones


def test_names_keep_only_their_first_character():
    names = pd.Series(["张三丰", "李四", "Alice Smith", None], dtype="str")
    assert mask_names(names).tolist()[:3] == ["张**", "李*", "A**** S****"]
    assert pd.isna(mask_names(names).iloc[3])


def test_phones_keep_first_three_and_last_four_digits():
    phones = pd.Series(["13812345678", "+86 139-0000-1111", "12345", None], dtype="str")
    masked = mask_phones(phones)
    assert masked.tolist()[:3] == ["138****5678", "861******1111", "*****"]
    assert pd.isna(masked.iloc[3])


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_a_masked_mobile_number_never_shows_its_middle_digits(phone):
    masked = mask_phones(pd.Series([phone], dtype="str")).iloc[0]
    assert masked[3:7] == "****" and masked[:3] == phone[:3] and masked[-4:] == phone[-4:]


def test_mask_frame_leaves_other_columns_alone():
    frame = pd.DataFrame({"customer_id": ["C1"], "name": ["王五"], "phone": ["13900001111"], "aum": [1.0]})
    masked = mask_frame(frame)
    assert masked.loc[0, "customer_id"] == "C1" and masked.loc[0, "aum"] == 1.0
    assert masked.loc[0, "name"] == "王*" and masked.loc[0, "phone"] == "139****1111"
    assert frame.loc[0, "name"] == "王五"
