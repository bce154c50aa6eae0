"""Invented articles shared by the story-merge tests."""

from __future__ import annotations

from datetime import datetime, timedelta

SUNDAY = datetime(2015, 8, 2, 9, 0)  # 2015-08-02 was a Sunday


def market_session(day: int, outlet: int) -> tuple[datetime, str, str, str]:
    """(date, outlet, title, body) of one outlet's report of the market session ``day`` days
    after SUNDAY: reports of one day differ only in wording, days differ only in the weekday."""
    weekday = ["الأحد", "الاثنين", "الثلاثاء"][day]
    rise = ["ارتفاع", "صعود"][outlet]
    return (
        SUNDAY + timedelta(days=day, hours=7 + outlet),
        f"outlet{outlet}",
        f"مؤشر سوق الأسهم السعودية يغلق على {rise}",
        f"أغلق المؤشر العام لسوق الأسهم السعودية تعاملات اليوم {weekday} على {rise} بدعم من "
        "قطاعي المصارف والبتروكيماويات، وسط تداولات بلغت قيمتها خمسة مليارات ريال، "
        "وارتفعت أسهم معظم الشركات المدرجة في السوق.",
    )
