"""Arabic publication dates as feeds and pages print them."""

from __future__ import annotations

from datetime import datetime

import pytest

from marsad.text.dates import parse_date

NOW = datetime(2024, 5, 16, 12, 0)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Levantine months, Arabic-Indic digits, weekday, 12-hour clock
        ("الثلاثاء ١٤ آذار ٢٠٢٣ - ١٠:٣٠ مساءً", datetime(2023, 3, 14, 22, 30)),
        ("12 تشرين الثاني 2020", datetime(2020, 11, 12)),
        ("12 تشرين ثاني 2020 12:05 ص", datetime(2020, 11, 12, 0, 5)),
        ("1 كانون الثاني 2021", datetime(2021, 1, 1)),
        ("٣١ كانون الأول ٢٠٢٢", datetime(2022, 12, 31)),
        ("5 أيلول 2019", datetime(2019, 9, 5)),
        ("5 ايلول 2019", datetime(2019, 9, 5)),  # hamza dropped, as often typed
        # Egyptian/Gulf months, spelling variants, doubled month names
        ("14 مارس 2023", datetime(2023, 3, 14)),
        ("نشر في: 14 آذار/مارس 2023، 10:30 ص", datetime(2023, 3, 14, 10, 30)),
        ("2 إبريل 2023", datetime(2023, 4, 2)),
        ("2 ابريل 2023", datetime(2023, 4, 2)),
        ("20 يونيه 2022", datetime(2022, 6, 20)),
        ("أغسطس 7، 2021", datetime(2021, 8, 7)),
        # Maghrebi months
        ("3 جانفي 2024 على الساعة 08:15", datetime(2024, 1, 3, 8, 15)),
        ("14 فيفري 2022", datetime(2022, 2, 14)),
        ("1 غشت 2021", datetime(2021, 8, 1)),
        ("9 جويلية 2020", datetime(2020, 7, 9)),
        # numeric, ISO, RFC 822, explicit offsets
        ("2023/03/14", datetime(2023, 3, 14)),
        ("٢٠٢٣-٠٣-١٤", datetime(2023, 3, 14)),
        ("14-03-2023 09:00 GMT+3", datetime(2023, 3, 14, 6, 0)),
        ("Tue, 14 Mar 2023 10:30:00 +0300", datetime(2023, 3, 14, 7, 30)),
        ("2023-03-14T10:30:00Z", datetime(2023, 3, 14, 10, 30)),
        # relative
        ("منذ 3 ساعات", datetime(2024, 5, 16, 9, 0)),
        ("منذ ساعتين", datetime(2024, 5, 16, 10, 0)),
        ("قبل ٥ دقائق", datetime(2024, 5, 16, 11, 55)),
        ("منذ يومين", datetime(2024, 5, 14, 12, 0)),
        ("منذ أسبوع", datetime(2024, 5, 9, 12, 0)),
        ("أمس 22:10", datetime(2024, 5, 15, 22, 10)),
        ("اليوم 08:00", datetime(2024, 5, 16, 8, 0)),
        ("الإثنين 10:30", datetime(2024, 5, 13, 10, 30)),
    ],
)
def test_parses(text: str, expected: datetime) -> None:
    assert parse_date(text, now=NOW) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "لا تاريخ هنا", "31 شباط 2023", "14 مارس 3023", "2023", "الخميس", "14 رمضان 1444"],
)
def test_rejects(text: str) -> None:
    assert parse_date(text, now=NOW) is None


def test_invalid_clock_keeps_the_date() -> None:
    assert parse_date("14 مارس 2023 25:99", now=NOW) == datetime(2023, 3, 14)
