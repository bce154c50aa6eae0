"""A synthetic 15-outlet story in the shapes of the seed articles, for the story page tests.

Every outlet reports the same event with a shared lead, its own framing of the actors, its
own figures and long Arabic words (the ones a phone layout used to break mid-word); four
outlets carry one Saudi Press Agency copy word for word.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from marsad.models import RawArticle
from marsad.pipeline import Pipeline, Settings
from marsad.store import Store
from marsad.text.arabic import NORMALIZER_VERSION

OUTLETS = (
    "alriyadh", "aawsat", "aljazirah", "aleqtisadiya", "okaz", "alyaum", "almadina", "alweeam",
    "3alyoum", "alwatan", "sabq", "arreyadi", "arriyadiyah", "was", "alhayat",
)  # fmt: skip
_LEAD = (
    "أعلنت قيادة التحالف العربي لدعم الشرعية في اليمن أن قواتها استهدفت مواقع عسكرية في محافظة"
    " صعدة، وأن الاشتباكات استمرت حتى ساعات الفجر قرب الحدود الجنوبية للمملكة العربية السعودية."
)
_NAMES = ("الحوثيين", "المتمردين الحوثيين", "ميليشيا الحوثي", "جماعة أنصار الله")
_WIRE = (
    "جدة - واس: " + _LEAD + " وقال المتحدث الرسمي باسم قوات التحالف العميد الركن أحمد عسيري إن"
    " العمليات العسكرية ستستمر حتى تحقيق أهدافها الاستراتيجية، وإن الاستخباراتيين والمستشارين"
    " العسكريين يتابعون التطورات الميدانية بالتنسيق مع المسؤوليات الإقليمية. وأكد أن حصيلة"
    " القتلى بلغت 40 قتيلا."
)


def wide_articles() -> list[RawArticle]:
    """The 15 outlets' articles (four of them the same agency copy), an hour apart."""
    records = []
    for index, outlet in enumerate(OUTLETS):
        if index in (3, 7, 10, 13):
            body, title = _WIRE, "التحالف: استهداف مواقع عسكرية في صعدة واستمرار العمليات"
        else:
            name = _NAMES[index % len(_NAMES)]
            body = (
                f"{_LEAD} وقالت مصادر ميدانية إن مقاتلي {name} حاولوا التسلل عبر الشريط الحدودي"
                f" واستهدفوا القرى بالقذائف، مما أدى إلى مقتل {30 + index} شخصا بحسب الإحصاءات"
                " الأولية. وأضافت المصادر أن الاستراتيجيات العسكرية الجديدة والمستشفيات"
                " الميدانية والاستخباراتيين يواصلون أعمالهم بالتزامن مع الاجتماعات التنسيقية."
                f" ونقلت صحيفة {outlet} عن شهود عيان أن الاشتباكات كانت عنيفة جدا."
            )
            title = (
                f"التحالف يستهدف مواقع {name} في صعدة ويحبط محاولات التسلل"
                " عبر الحدود الجنوبية والمستشفيات الميدانية تستقبل المصابين"
            )
        records.append(
            RawArticle(
                ext_id=f"wide-{index}",
                source=outlet,
                date=datetime(2026, 4, 2, 6 + index // 2, 3 * index),
                title=title,
                text=body,
                origin="test",
            )
        )
    return records


def build_wide_store(path: Path) -> int:
    """Ingest the 15 outlets' articles into a new store; returns the story id they form."""
    store = Store(path, normalizer_version=NORMALIZER_VERSION)
    Pipeline(store, Settings()).ingest(wide_articles())
    rows = store.db.execute(
        "SELECT story_id, count(DISTINCT source) FROM articles GROUP BY story_id ORDER BY 2 DESC"
    ).fetchall()
    store.close()
    return int(rows[0][0])
