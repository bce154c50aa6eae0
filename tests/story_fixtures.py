"""Invented articles shared by the story-merge tests."""

from __future__ import annotations

from datetime import datetime, timedelta

SUNDAY = datetime(2015, 8, 2, 9, 0)  # 2015-08-02 was a Sunday

# One event, a footbridge collapse, as first reported and as followed up in other words.
BRIDGE_FIRST = (
    "انهيار جسر للمشاة فوق طريق الملك عبدالله في الدمام",
    "انهار جسر للمشاة فوق طريق الملك عبدالله في مدينة الدمام فجر اليوم، وأصيب أربعة عمال "
    "كانوا يعملون في صيانته، ونقلتهم فرق الهلال الأحمر إلى مستشفى الدمام المركزي. وأغلقت "
    "إدارة المرور الطريق في الاتجاهين وحولت السير إلى الطرق الموازية.",
)
BRIDGE_LATER = (
    "لجنة للتحقيق في انهيار جسر المشاة على طريق الملك عبدالله بالدمام",
    "شكلت أمانة المنطقة الشرقية لجنة للتحقيق في انهيار جسر المشاة فوق طريق الملك عبدالله في "
    "الدمام الذي أصيب فيه أربعة عمال من فريق الصيانة، فيما أعادت إدارة المرور فتح الطريق "
    "بعد رفع أنقاض الجسر.",
)


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
