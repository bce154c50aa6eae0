"""Tests for the Arabic NER tagger (marsad.extract.ner) and its evaluator (marsad.evaluate.ner_eval)."""

from __future__ import annotations

import gzip
from itertools import pairwise, product
from pathlib import Path

import numpy as np
import pytest

from marsad.evaluate.ner_eval import (
    document_starts,
    evaluate_ner,
    format_report,
    is_document_start,
    parse_conll,
    read_conll,
    score,
    split_documents,
    tag_by_document,
)
from marsad.extract import ner
from marsad.extract.ner import (
    TAGS,
    Featurizer,
    Tagger,
    bio_spans,
    build_gazetteer,
    family_name,
    length_buckets,
    load_tagger,
    spread_document_entities,
    viterbi,
    word_spans,
)
from marsad.text import arabic

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
# Micro-F1 of the shipped model on the whole-document dev block (src/marsad/models/README.md),
# rounded down.
DEV_MICRO_F1_FLOOR = 0.77

# "Saudi King Salman bin Abdulaziz met US President Barack Obama in Riyadh on Friday."
SENTENCE = "التقى الملك سلمان بن عبدالعزيز الرئيس الأمريكي باراك أوباما في الرياض يوم الجمعة."

GOLD_CONLL = """\
زار B-PERS
محمد I-PERS
القاهرة B-LOC
أمس O

وقالت O
الأمم B-ORG
المتحدة I-ORG
في O
جنيف B-LOC
"""
# Predictions for the two sentences above, hand-scored below.
PREDICTED = [["B-PERS", "I-PERS", "B-ORG", "O"], ["O", "B-ORG", "O", "O", "B-LOC"]]


def test_parse_conll_reads_sentences_and_tags() -> None:
    sentences = parse_conll(GOLD_CONLL.splitlines())
    assert [len(tokens) for tokens, _ in sentences] == [4, 5]
    assert sentences[1][1] == ["O", "B-ORG", "I-ORG", "O", "B-LOC"]


def test_read_conll_plain_and_gzip_agree(tmp_path: Path) -> None:
    plain = tmp_path / "gold.txt"
    plain.write_text(GOLD_CONLL, encoding="utf-8")
    packed = tmp_path / "gold.txt.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as handle:
        handle.write(GOLD_CONLL)
    assert read_conll(plain) == read_conll(packed) == parse_conll(GOLD_CONLL.splitlines())


def test_bio_spans_lenient_on_stray_inside_tag() -> None:
    assert bio_spans(["I-LOC", "I-LOC", "B-PERS", "I-ORG"]) == {
        (0, 2, "LOC"),
        (2, 3, "PERS"),
        (3, 4, "ORG"),
    }


def test_score_matches_hand_computed_counts() -> None:
    gold = [tags for _, tags in parse_conll(GOLD_CONLL.splitlines())]
    report = score(gold, PREDICTED)
    by_type = {row.label: row for row in report.per_type}
    # Gold: PERS(0-2) LOC(2-3) | ORG(1-3) LOC(4-5). Predicted: PERS(0-2) ORG(2-3) | ORG(1-2) LOC(4-5).
    # Correct: PERS and the second LOC; the ORG (1-2) has a wrong right boundary.
    assert (by_type["PERS"].gold, by_type["PERS"].predicted, by_type["PERS"].correct) == (1, 1, 1)
    assert (by_type["LOC"].gold, by_type["LOC"].predicted, by_type["LOC"].correct) == (2, 1, 1)
    assert (by_type["ORG"].gold, by_type["ORG"].predicted, by_type["ORG"].correct) == (1, 2, 0)
    assert by_type["LOC"].recall == pytest.approx(0.5)
    assert by_type["ORG"].f1 == 0.0
    assert report.micro.precision == pytest.approx(2 / 4)
    assert report.micro.recall == pytest.approx(2 / 4)
    assert report.micro.f1 == pytest.approx(0.5)
    assert format_report(report).splitlines()[-1] == "micro_f1=0.500"


def test_evaluate_ner_with_custom_tagger(tmp_path: Path) -> None:
    gold_file = tmp_path / "gold.txt"
    gold_file.write_text(GOLD_CONLL, encoding="utf-8")
    predictions = iter(PREDICTED)
    report = evaluate_ner(gold_file, tagger=lambda tokens: next(predictions))
    assert format_report(report).splitlines()[-1] == "micro_f1=0.500"


def test_word_spans_keep_punctuation_as_tokens() -> None:
    text = "قال «محمد»، ثم (غادر)."
    assert [text[start:end] for start, end in word_spans(text)] == [
        "قال", "«", "محمد", "»", "،", "ثم", "(", "غادر", ")", ".",
    ]  # fmt: skip


def test_gazetteer_keeps_names_and_drops_mostly_common_words() -> None:
    sentences = [
        (["زار", "حسن", "نصر", "الله", "بيروت"], ["O", "B-PERS", "I-PERS", "I-PERS", "B-LOC"]),
        (["النصر", "حليف"], ["B-ORG", "O"]),
        (["حقق", "الجيش", "النصر"], ["O", "O", "O"]),
        (["وكان", "النصر", "قريبا"], ["O", "O", "O"]),
    ]
    gazetteer = build_gazetteer(Featurizer({}), sentences)
    featurizer = Featurizer({})
    person = tuple(featurizer.stripped_forms(["حسن", "نصر", "الله"]))
    assert gazetteer[person] == "PERS"
    assert gazetteer[tuple(featurizer.stripped_forms(["بيروت"]))] == "LOC"
    # "النصر" is an entity in one of three uses: below the 50% share, so it is left out.
    assert tuple(featurizer.stripped_forms(["النصر"])) not in gazetteer
    marks = Featurizer({}, gazetteer).gazetteer_marks(
        featurizer.stripped_forms(["التقى", "حسن", "نصر", "الله"])
    )
    assert marks == ["", "B-PERS", "I-PERS", "I-PERS"]


def test_gazetteer_marks_of_sentences_match_one_sentence_at_a_time() -> None:
    gazetteer = {("حسن", "نصر", "الله"): "PERS", ("نصر",): "LOC", ("بيروت",): "LOC"}
    featurizer = Featurizer({}, gazetteer)
    words = ["زار", "حسن", "نصر", "الله", "بيروت", "حسن", "نصر", "الله", "نصر", "حسن", "نصر"]
    for starts in ([0], [0, 6], [0, 3, 7], [0, 2, 5, 9], list(range(len(words)))):
        expected = [
            mark
            for begin, end in pairwise([*starts, len(words)])
            for mark in featurizer.gazetteer_ids(words[begin:end])
        ]
        assert featurizer.gazetteer_ids(words, starts) == expected, starts
    # A name cut by a sentence start is not matched whole: «نصر» alone is a place.
    assert featurizer.gazetteer_ids(words, [0, 3])[1:4] == [0, 3, 0]
    assert featurizer.gazetteer_ids(words)[1:4] == [1, 2, 2]


def test_shipped_model_tags_person_and_location() -> None:
    tagger = load_tagger()
    assert load_tagger() is tagger  # cached
    labels = {(entity.label, entity.text) for entity in tagger.entities(SENTENCE)}
    assert ("LOC", "الرياض") in labels
    assert any(label == "PERS" and "أوباما" in text for label, text in labels)
    assert any(label == "PERS" and "سلمان" in text for label, text in labels)


def test_entity_offsets_slice_the_original_text() -> None:
    text = "  وصل  " + SENTENCE + "\nثم غادر إلى القاهرة، حيث التقى محمد صلاح."
    entities = load_tagger().entities(text)
    assert len(entities) >= 3
    for entity in entities:
        assert text[entity.start : entity.end] == entity.text
        assert entity.label in {"PERS", "LOC", "ORG", "MISC"}


def test_tag_returns_one_bio_tag_per_token() -> None:
    tokens = SENTENCE.replace(".", " .").split()
    tags = load_tagger().tag(tokens)
    assert len(tags) == len(tokens)
    assert all(tag in TAGS for tag in tags)
    assert load_tagger().tag([]) == []
    # Longer than one window: still one tag per token.
    many = tokens * 20
    assert len(many) > ner.MAX_SENTENCE
    assert len(load_tagger().tag(many)) == len(many)


def _brute_force_best(
    emissions: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray
) -> list[int]:
    def total(path: tuple[int, ...]) -> float:
        score = (
            start[path[0]] + end[path[-1]] + sum(emissions[t, tag] for t, tag in enumerate(path))
        )
        return float(score + sum(transitions[a, b] for a, b in pairwise(path)))

    paths: list[tuple[int, ...]] = list(product(range(len(start)), repeat=len(emissions)))
    best = max(paths, key=total)
    return list(best)


def test_viterbi_matches_brute_force_on_padded_batch() -> None:
    rng = np.random.default_rng(0)
    n_tags = 4
    transitions, start, end = (
        rng.normal(size=(n_tags, n_tags)),
        rng.normal(size=n_tags),
        rng.normal(size=n_tags),
    )
    emissions = rng.normal(size=(3, 5, n_tags))
    lengths = np.array([5, 3, 1])
    best = viterbi(emissions, lengths, transitions, start, end)
    for row, length in enumerate(lengths):
        expected = _brute_force_best(emissions[row, :length], transitions, start, end)
        assert best[row, :length].tolist() == expected
        assert not best[row, length:].any()
    with pytest.raises(ValueError):
        viterbi(emissions, np.array([1, 3, 5]), transitions, start, end)


def test_decoding_obeys_bio_constraints() -> None:
    tagger = load_tagger()
    text = "قال «محمد»، ثم (غادر). " + SENTENCE + " ) ، . " + SENTENCE
    tags = tagger.tag([text[start:end] for start, end in word_spans(text)])
    previous = "O"
    for tag in tags:
        if tag.startswith("I-"):
            assert previous[2:] == tag[2:], tags
        previous = tag


def test_entities_many_equals_one_by_one() -> None:
    tagger = load_tagger()
    texts = [
        SENTENCE,
        "",
        "   \n\t ",
        "ثم غادر إلى القاهرة، حيث التقى محمد صلاح.\nوفي لندن أعلنت الأمم المتحدة",
        SENTENCE + " " + SENTENCE,
        ". ، ( )",
    ]
    together = tagger.entities_many(texts)
    assert together == [tagger.entities(text) for text in texts]
    tokens = [arabic.tokenize(text) for text in texts]
    assert tagger.entities_many(texts, tokens) == together
    assert tagger.entities(texts[3], tokens[3]) == together[3]
    with pytest.raises(ValueError):
        tagger.entities_many(texts, tokens[:2])
    assert together[1] == [] and together[2] == [] and together[5] == []
    assert tagger.entities_many([]) == []


@pytest.mark.shared
@pytest.mark.skipif(not SHARED.exists(), reason="../shared (seed articles) is absent")
def test_seed_articles_batched_like_one_by_one() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted((SHARED / "seeds").glob("*.txt"))]
    assert len(texts) == 5
    tagger = load_tagger()
    together = tagger.entities_many(texts)
    assert together == [tagger.entities(text) for text in texts]
    assert all(len(found) >= 3 for found in together)  # news articles name people and places
    for text, found in zip(texts, together, strict=True):
        assert [e.start for e in found] == sorted(e.start for e in found)
        for entity in found:
            assert text[entity.start : entity.end] == entity.text
            assert entity.label in {"PERS", "LOC", "ORG", "MISC"}


def test_huge_text_without_sentence_breaks_is_tagged_in_windows() -> None:
    tagger = load_tagger()
    one = tagger.entities(SENTENCE.rstrip("."))
    text = " و ".join([SENTENCE.rstrip(".")] * 300)  # ~4,000 words, no sentence end
    found = tagger.entities(text)
    assert len(found) >= len(one) * 250  # window cuts may cost a few entities
    for entity in found:
        assert text[entity.start : entity.end] == entity.text


def test_small_batches_give_same_entities(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [SENTENCE, "ثم غادر إلى القاهرة، حيث التقى محمد صلاح.", SENTENCE * 2]
    expected = load_tagger().entities_many(texts)
    fresh = Tagger(ner.models_dir())
    monkeypatch.setattr(ner, "BATCH_TOKENS", 5)  # one sentence per call, few words per encoding
    assert fresh.entities_many(texts) == expected


def test_length_buckets_cover_in_order_and_are_cheapest() -> None:
    for lengths in ([9], [7, 7, 7], [100, 60, 59, 20, 20, 3, 1], [40, 39, 38, 2, 2, 2, 2, 1]):
        runs = length_buckets(lengths)
        assert [low for low, _ in runs] == [0, *(high for _, high in runs[:-1])]
        assert runs[-1][1] == len(lengths)
        for _, high in runs:  # equal lengths never split across runs
            assert high == len(lengths) or lengths[high - 1] != lengths[high]

        def cost(cuts: list[tuple[int, int]], lengths: list[int] = lengths) -> int:
            return sum(ner.RUN_COST_TOKENS + lengths[a] * (b - a) for a, b in cuts)

        # Brute force over every way of cutting the list into contiguous runs.
        cheapest = min(
            cost(list(pairwise([0, *cut, len(lengths)])))
            for mask in product([False, True], repeat=len(lengths) - 1)
            for cut in [[i + 1 for i, on in enumerate(mask) if on]]
        )
        assert cost(runs) == cheapest
    assert length_buckets([]) == []
    # Very unequal lengths go to separate runs; a near-equal pair shares one.
    assert length_buckets([100, 2]) == [(0, 1), (1, 2)]
    assert length_buckets([30, 29]) == [(0, 2)]
    with pytest.raises(ValueError):
        length_buckets([1, 5])


# Invented sentences of very different lengths (1 to about 60 words), tagged as one document.
MIXED_SENTENCES = [
    "أكد وزير الخارجية سعود الفيصل في الرياض أن المملكة تدعم الحل السياسي في اليمن.",
    "نعم.",
    " ".join([SENTENCE.rstrip(".")] * 4) + ".",
    "وصل الأمير محمد بن نايف إلى جدة.",
    "قالت وكالة الأنباء السعودية إن الاجتماع سيعقد في القاهرة الأسبوع المقبل بحضور ممثلين"
    " عن جامعة الدول العربية والأمم المتحدة.",
]


def _mixed_document() -> list[list[str]]:
    text = "\n".join(MIXED_SENTENCES)
    spans = word_spans(text)
    starts = [*ner._sentence_starts(text, spans), len(spans)]
    words = [text[a:b] for a, b in spans]
    return [words[a:b] for a, b in pairwise(starts)]


def test_runs_and_batches_give_the_tags_of_one_sentence_per_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sentences = _mixed_document()
    assert len({len(tokens) for tokens in sentences}) == len(sentences) >= 5
    default = load_tagger().tag_document(sentences)
    assert any(tag != "O" for tags in default for tag in tags)
    for batch_tokens, run_cost in ((1, ner.RUN_COST_TOKENS), (8192, 10**9), (8192, 0), (60, 24)):
        # 1: each sentence alone (the unbatched path); 10**9: one padded run for all
        # sentences; 0: one run per distinct length; 60: batches cut mid-document.
        monkeypatch.setattr(ner, "BATCH_TOKENS", batch_tokens)
        monkeypatch.setattr(ner, "RUN_COST_TOKENS", run_cost)
        fresh = Tagger(ner.models_dir())  # an empty word cache
        assert fresh.tag_document(sentences) == default, (batch_tokens, run_cost)


def test_cached_word_vectors_are_the_encoded_ones() -> None:
    sentences = _mixed_document()
    fresh = Tagger(ner.models_dir())
    fresh.tag_document([["كلمة", "أخرى", "الرياض"], *sentences[:2]])  # a warm, partial cache
    assert fresh.tag_document(sentences) == load_tagger().tag_document(sentences)
    words = sorted({word for tokens in sentences for word in tokens})
    rows = fresh._word_rows(words)
    features = [fresh.featurizer.compute(word) for word in words]
    encoded = fresh._encoder.run(
        None,
        {
            "features": np.array([f.ids for f in features], dtype=np.int64),
            "chars": np.array([f.chars for f in features], dtype=np.int64),
        },
    )[0]
    np.testing.assert_array_equal(fresh._vectors[rows], encoded)


def test_word_cache_overflow_gives_same_entities(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = load_tagger().entities(SENTENCE * 3)
    fresh = Tagger(ner.models_dir())
    monkeypatch.setattr(ner, "MAX_CACHE", 8)  # forces the cache to be rebuilt mid-text
    assert fresh.entities(SENTENCE * 3) == expected
    assert fresh.entities(SENTENCE) == load_tagger().entities(SENTENCE)


def test_full_word_cache_evicts_least_recently_used(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = _mixed_document()
    expected = [load_tagger().tag_document([tokens]) for tokens in sentences]
    monkeypatch.setattr(ner, "MAX_CACHE", 40)  # smaller than the words of all sentences
    fresh = Tagger(ner.models_dir())
    for _ in range(2):  # the second round re-encodes evicted words into reused rows
        for tokens, tags in zip(sentences, expected, strict=True):
            assert fresh.tag_document([tokens]) == tags
            assert len(fresh._rows) <= 40
            assert set(tokens) <= set(fresh._rows)  # the words just used are kept
    assert len(set(fresh._rows.values())) == len(fresh._rows)  # no two words share a row
    assert len(fresh._stripped) <= 40 + 1  # evicted rows are reused: no row past the cap
    assert len(fresh._vectors) == 40 + 1


def test_document_starts_are_datelines_bylines_and_credits() -> None:
    opening = [
        "الخرطوم ـ وكالات الأنباء : أعلنت الأمم المتحدة",
        "غزة ـ أ .",
        "كتب : محمود صبري ابو تريكة امل الاهلي",
        "بيروت ( اف ب ) حذر رئيس كتلة تيار المستقبل",
    ]
    inside = [
        "وقال حمد إن حماس ملتزمة بما ورد في الاتفاق",
        "2 - إتاحة التمويل ( طويل الأجل ) بفترات اشعار قصيرة",
        "إس - 2 بمحرك 16 سلندر",
        "البرنامج : السبت : - أولمبيك آسفي - اتحاد الخميسات .",
        "وتقدمت ليتوانيا عبر توماس ( 21 ) قبل أن يدرك",
    ]
    assert all(is_document_start(line.split()) for line in opening)
    assert not any(is_document_start(line.split()) for line in inside)


def test_split_documents_never_cuts_a_document() -> None:
    def document(city: str, length: int) -> list[tuple[list[str], list[str]]]:
        first = [city, "ـ", "وكالات", ":", "قال", "الوزير"]
        rest = ["وأضاف", "الوزير", "أن", "الاتفاق", "قريب"]
        return [(first, ["B-LOC"] + ["O"] * 5)] + [(rest, ["O"] * 5)] * (length - 1)

    sentences = [s for n in range(12) for s in document(f"مدينة{n}", 7 + n % 3)]
    split = split_documents(sentences, share=0.25)
    starts = set(document_starts(sentences))
    assert split.dev_start in starts and split.validation_start in starts
    assert split.train == sentences[: split.dev_start]
    assert split.train + split.dev == sentences
    assert split.tune and split.validation
    assert abs(split.dev_start - 0.75 * len(sentences)) <= 9  # within one document of 75%


@pytest.mark.shared
@pytest.mark.skipif(not SHARED.exists(), reason="../shared (ANERcorp train split) is absent")
def test_dev_block_is_the_final_tenth_in_whole_documents() -> None:
    sentences = read_conll(SHARED / "data" / "anercorp_camel" / "ANERCorp_CamelLab_train.txt.gz")
    split = split_documents(sentences)
    assert len(split.train) + len(split.dev) == len(sentences) == 3973
    assert 0.08 < len(split.dev) / len(sentences) < 0.12
    assert split.train + split.dev == sentences  # a contiguous final block
    starts = document_starts(sentences)
    assert split.dev_start in starts and split.validation_start in starts
    # The dev block opens with a dateline, not mid-article, and repeats no training sentence.
    assert is_document_start(split.dev[0][0]) and is_document_start(split.validation[0][0])
    seen = {tuple(tokens) for tokens, _ in split.train}
    assert not any(tuple(tokens) in seen for tokens, _ in split.dev)


@pytest.mark.shared
@pytest.mark.skipif(not SHARED.exists(), reason="../shared (ANERcorp train split) is absent")
def test_dev_block_micro_f1() -> None:
    sentences = read_conll(SHARED / "data" / "anercorp_camel" / "ANERCorp_CamelLab_train.txt.gz")
    dev = split_documents(sentences).dev
    tagger = load_tagger()
    report = score([tags for _, tags in dev], tag_by_document(dev, tagger.tag_document))
    assert report.micro.f1 >= DEV_MICRO_F1_FLOOR


def test_gods_name_and_currencies_are_not_entities() -> None:
    """Formulas (بإذن الله، رحمه الله، الحمد لله) and currencies were the store's top
    "entities"; names that contain them (عبدالله، حزب الله) stay."""
    from marsad.extract.article import extract, is_not_a_name

    text = (
        "قال الرئيس عبد الفتاح السيسي إن مصر ستنتصر بإذن الله، وأضاف رحمه الله أن الاستثمارات"
        " بلغت خمسة مليارات دولار، فيما ارتفع الريال واليورو. والحمد لله على سلامة الجميع في"
        " القاهرة. وقال عبدالله بن زايد إن حزب الله مسؤول."
    )
    texts = {m.text for m in extract(text).entities}
    assert not texts & {"الله", "لله", "دولار", "الريال", "واليورو"}
    assert {"عبدالله بن زايد", "حزب الله", "القاهرة", "مصر"} <= texts
    assert is_not_a_name("بالدولار") and is_not_a_name("لله")
    assert not is_not_a_name("عبدالله") and not is_not_a_name("حزب الله")


def _tag_ids(tags: list[str]) -> np.ndarray:
    return np.array([TAGS.index(tag) for tag in tags], dtype=np.int64)


def test_spread_marks_untagged_repeats_of_a_found_name() -> None:
    # "The Likud party decided ... and Likud said ..." (stripped forms), the second mention
    # missed by the tagger; a sentence break sits between the two.
    stripped = ["قال", "حزب", "ليكود", "انه", "قرر", ".", "واكد", "ليكود", "ان", "حزب", "قرر"]
    tags = ["O", "B-ORG", "I-ORG", "O", "O", "O", "O", "O", "O", "O", "O"]
    spread = spread_document_entities(stripped, _tag_ids(tags), [0, 6])
    assert [TAGS[t] for t in spread] == tags  # "ليكود" alone is not the name found
    tags[7] = "B-ORG"  # now the party is found alone once: its untagged repeats follow
    stripped[9:11] = ["ليكود", "قرر"]
    spread = spread_document_entities(stripped, _tag_ids(tags), [0, 6])
    assert [TAGS[t] for t in spread][9] == "B-ORG"
    assert [TAGS[t] for t in spread][1:3] == ["B-ORG", "I-ORG"]  # tagged words never change


def test_spread_keeps_majority_type_and_skips_one_letter_words() -> None:
    stripped = ["زار", "حلب", "و", "حلب", "ثم", "حلب", "و", "ب"]
    tags = ["O", "B-LOC", "B-MISC", "B-LOC", "O", "O", "O", "B-PERS"]
    spread = [TAGS[t] for t in spread_document_entities(stripped, _tag_ids(tags), [0])]
    assert spread[5] == "B-LOC"  # two LOC against none
    assert spread[6] == "O"  # "و" was tagged once but one-letter words never spread
    # Matches never cross a sentence start, and a document without names is left as is.
    two = spread_document_entities(
        ["مجلس", "امن"] * 2, _tag_ids(["B-ORG", "I-ORG", "O", "O"]), [0, 3]
    )
    assert [TAGS[t] for t in two] == ["B-ORG", "I-ORG", "O", "O"]
    assert not spread_document_entities(["قال"], _tag_ids(["O"]), [0]).any()


def test_family_name_of_full_names() -> None:
    assert family_name(["جلال", "طالباني"]) == ("طالباني",)
    assert family_name(["حسن", "نصر", "الله"]) == ("نصر", "الله")  # compound last name
    assert family_name(["عبد", "الله"]) == ()  # a compound given name alone
    assert family_name(["طالباني"]) == ()
    assert family_name(["علي", "بو"]) == ()  # too short to stand alone


def test_spread_gives_a_person_his_last_name() -> None:
    stripped = ["قال", "رءيس", "جلال", "طالباني", "ان", ".", "اكد", "طالباني"]
    tags = ["O", "O", "B-PERS", "I-PERS", "O", "O", "O", "O"]
    spread = [TAGS[t] for t in spread_document_entities(stripped, _tag_ids(tags), [0, 6])]
    assert spread[7] == "B-PERS"
    tags[2:4] = ["B-LOC", "I-LOC"]  # a place's last word is not spread on its own
    spread = [TAGS[t] for t in spread_document_entities(stripped, _tag_ids(tags), [0, 6])]
    assert spread[7] == "O"


def test_tag_document_agrees_with_entities_of_the_joined_text() -> None:
    tagger = load_tagger()
    sentences = [[*SENTENCE.rstrip(".").split(), "."], ["وقال", "أوباما", "إن", "الرياض", "شريك"]]
    tags = tagger.tag_document(sentences)
    assert [len(t) for t in tags] == [len(s) for s in sentences]
    text = " ".join(word for sentence in sentences for word in sentence)
    words = [word for sentence in sentences for word in sentence]
    flat = [tag for sentence_tags in tags for tag in sentence_tags]
    from_text = {(e.text, e.label) for e in tagger.entities(text)}
    from_tags = {(" ".join(words[a:b]), label) for a, b, label in bio_spans(flat)}
    assert from_tags == from_text
    assert tagger.tag_document([]) == [] and tagger.tag_document([[]]) == [[]]
    assert tagger.tag(sentences[0]) == tagger.tag_document([sentences[0]])[0]


def test_tag_by_document_tags_each_article_apart() -> None:
    first = (["القاهرة", "ـ", "كتب", ":", "قال", "زيد"], ["B-LOC"] + ["O"] * 5)
    second = (["لندن", "ـ", "وكالات", ":", "قال", "عمرو"], ["B-LOC"] + ["O"] * 5)
    seen: list[list[list[str]]] = []

    def record(document: list[list[str]]) -> list[list[str]]:
        seen.append(document)
        return [["O"] * len(tokens) for tokens in document]

    predicted = tag_by_document([first, (["ثم", "عاد"], ["O", "O"]), second], record)
    assert [len(document) for document in seen] == [2, 1]
    assert [len(tags) for tags in predicted] == [6, 2, 6]


def test_common_words_are_not_spread_alone() -> None:
    # "Ali said ... then he went on to (على) the city": the folded «علي» is also «على».
    stripped = ["قال", "علي", "انه", ".", "ثم", "ذهب", "علي", "مدينه"]
    tags = _tag_ids(["O", "B-PERS", "O", "O", "O", "O", "O", "O"])
    spread = spread_document_entities(stripped, tags, [0, 4], frozenset({"علي"}))
    assert [TAGS[t] for t in spread][6] == "O"
    assert [TAGS[t] for t in spread_document_entities(stripped, tags, [0, 4])][6] == "B-PERS"
    # A common word inside a longer name does not stop that name from spreading.
    stripped = ["زار", "علي", "حسن", ".", "ثم", "قال", "علي", "حسن"]
    tags = _tag_ids(["O", "B-PERS", "I-PERS", "O", "O", "O", "O", "O"])
    spread = spread_document_entities(stripped, tags, [0, 4], frozenset({"علي"}))
    assert [TAGS[t] for t in spread][6:] == ["B-PERS", "I-PERS"]


def test_shipped_common_words_hold_function_words_not_names() -> None:
    common = load_tagger().common_words
    assert {"علي", "ان", "ثاني"} <= common  # على / أن / (عبدالله) الثاني
    assert not {"سعوديه", "داعش", "اوباما"} & common


def test_remembered_names_give_the_extraction_of_fresh_ones() -> None:
    from marsad.extract import aliases, article

    text = (
        "قال الرئيس الروسي فلاديمير بوتين في موسكو إن روسيا تدعم الحل. وأضاف بوتين أن "
        "وزير الخارجية سيرغي لافروف سيزور الرياض. وقال لافروف إن «الحل سياسي». "
        "وبلغت الكلفة مليون دولار، والحمد لله."
    )
    caches = (
        article._name_key,
        article._canonical_name,
        article.without_proclitic,
        article.is_not_a_name,
    )
    for cache in caches:
        cache.cache_clear()
    fresh = article.extract(text)
    assert fresh.entities and fresh.statements
    warm = article.extract(text)
    assert all(cache.cache_info().hits > 0 for cache in caches[:3])
    assert warm == fresh
    for name in {e.text for e in fresh.entities}:
        assert article._name_key(name) == aliases.name_key(name)
        assert article._canonical_name(name) == aliases.canonical_name(name)


def test_clusters_of_gives_the_cluster_ids_the_word_features_hold() -> None:
    featurizer = load_tagger().featurizer
    for word in ("وقال", "وأكدت", "الرياض", "كلمةلاتوجد"):
        assert featurizer.clusters_of(word) == featurizer.word(word).ids[2:7]
    assert featurizer.clusters_of("وقال") != featurizer.clusters_of("الرياض")
