"""Tests for MinHash fingerprints and the near-duplicate index."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from marsad.dedup.minhash import (
    DuplicateIndex,
    estimated_jaccard,
    fingerprint,
    lsh_bands,
    signature_from_bytes,
    signature_to_bytes,
)
from marsad.text.arabic import match_text

WIRE_BODY = (
    "أعلنت وزارة الصحة اليوم تسجيل أربع حالات إصابة جديدة بفيروس كورونا المسبب لمتلازمة "
    "الشرق الأوسط التنفسية في كل من الرياض والأحساء، مشيرة إلى أن ثلاث حالات منها لمخالطين "
    "لمرضى سابقين داخل المستشفيات. وأوضحت الوزارة في بيانها الأسبوعي أن الحالات المسجلة "
    "تخضع للعزل الطبي وأن فرق الترصد الوبائي بدأت فحص جميع المخالطين في المنازل ومقار العمل. "
    "ودعت الوزارة العاملين في القطاع الصحي إلى الالتزام الكامل بإجراءات مكافحة العدوى، "
    "والمواطنين والمقيمين إلى تجنب الاحتكاك المباشر بالإبل وعدم تناول حليبها قبل غليه، "
    "والمبادرة بمراجعة أقرب مركز صحي عند ظهور أعراض الحمى والسعال وضيق التنفس. وأكدت أن "
    "مختبرات الوزارة رفعت قدرتها على إجراء الفحوص إلى أكثر من ألفي عينة يوميا."
)
FIRST_LINE = "الرياض - واس\n"
OTHER_FIRST_LINE = "جدة - صحيفة المدينة: نقلا عن وكالة الأنباء السعودية\n"
OUTLET_TAG = "\nالمصدر: صحيفة اليوم الإلكترونية - تابعونا على تويتر"
SAME_TOPIC_BODY = (
    "كشف مصدر صحي لصحيفتنا أن المستشفيات في الأحساء شهدت خلال الأيام الماضية ضغطا متزايدا "
    "بسبب المراجعين القلقين من فيروس كورونا، بعد الإعلان عن إصابات جديدة في المنطقة. وقال "
    "المصدر إن أقسام الطوارئ استقبلت مئات الحالات التي تبين أن معظمها نزلات برد عادية، "
    "وإن إدارة الشؤون الصحية خصصت عيادات منفصلة لفرز المرضى ذوي الأعراض التنفسية. وطالب "
    "أطباء بتكثيف حملات التوعية في المدارس والأسواق، فيما أكد مختصون أن الإبل ما زالت المصدر "
    "الرئيسي للعدوى وأن انتقال الفيروس بين البشر يحدث غالبا داخل المنشآت الصحية."
)
DAY = datetime(2015, 7, 21, 8, 0)


def fp_of(text: str):  # type: ignore[no-untyped-def]
    return fingerprint(match_text(text))


@pytest.fixture
def index() -> DuplicateIndex:
    built = DuplicateIndex()
    built.add(1, fp_of(FIRST_LINE + WIRE_BODY), DAY)
    return built


def test_exact_copy_found(index: DuplicateIndex) -> None:
    copy = fp_of(FIRST_LINE + WIRE_BODY)
    assert index.find(copy) == 1


def test_copy_with_changed_first_line_and_outlet_tag_found(index: DuplicateIndex) -> None:
    edited = fp_of(OTHER_FIRST_LINE + WIRE_BODY + OUTLET_TAG)
    assert edited.exact != fp_of(FIRST_LINE + WIRE_BODY).exact
    assert index.find(edited) == 1


def test_same_topic_different_article_not_found(index: DuplicateIndex) -> None:
    other = fp_of(SAME_TOPIC_BODY)
    assert estimated_jaccard(other.signature, fp_of(WIRE_BODY).signature) < 0.2
    assert index.find(other) is None


def test_earliest_added_original_is_returned(index: DuplicateIndex) -> None:
    index.add(2, fp_of(OTHER_FIRST_LINE + WIRE_BODY), DAY + timedelta(hours=1))
    assert index.find(fp_of(WIRE_BODY + OUTLET_TAG)) == 1


def test_prune_drops_old_entries(index: DuplicateIndex) -> None:
    index.add(2, fp_of(SAME_TOPIC_BODY), DAY + timedelta(days=3))
    assert index.prune(DAY + timedelta(days=1)) == 1
    assert len(index) == 1
    assert index.find(fp_of(FIRST_LINE + WIRE_BODY)) is None
    assert index.find(fp_of(SAME_TOPIC_BODY)) == 2


def test_empty_bodies_never_duplicates() -> None:
    index = DuplicateIndex()
    empty = fingerprint("")
    index.add(1, empty, DAY)
    assert len(index) == 0
    assert index.find(fingerprint("   ")) is None


def test_short_text_gets_usable_fingerprint() -> None:
    short = fingerprint("انفجار")
    assert short.exact
    assert np.all(short.signature < np.uint32(0xFFFFFFFF))
    index = DuplicateIndex()
    index.add(7, short, DAY)
    assert index.find(fingerprint(" انفجار ")) == 7
    assert index.find(fingerprint("انفجار ضخم")) is None


def test_signature_bytes_round_trip() -> None:
    signature = fp_of(WIRE_BODY).signature
    blob = signature_to_bytes(signature)
    assert len(blob) == 4 * 64
    restored = signature_from_bytes(blob)
    assert restored.dtype == np.uint32
    assert np.array_equal(restored, signature)


def test_signatures_are_deterministic_and_estimate_jaccard() -> None:
    words = [f"w{i}" for i in range(400)]
    first = fingerprint(" ".join(words[:300]), num_perm=256)
    second = fingerprint(" ".join(words[100:400]), num_perm=256)
    # 3-shingles: 198 shared of 298 + 298 - 198 = 398 in the union -> about 0.5
    assert estimated_jaccard(first.signature, second.signature) == pytest.approx(0.5, abs=0.1)
    again = fingerprint(" ".join(words[:300]), num_perm=256)
    assert np.array_equal(first.signature, again.signature)


def test_lsh_bands_use_the_signature() -> None:
    bands, rows = lsh_bands(0.6, 64)
    assert bands * rows <= 64
    # A pair right at the threshold collides in some band with high probability.
    assert 1 - (1 - 0.6**rows) ** bands > 0.9
