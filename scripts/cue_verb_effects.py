"""Per-verb effect of learned cue verbs on the quote development sets.

For each verb given, scores the development sets with that verb alone added to the learned
cue list (and with all of them together) and prints predicted / matched / speaker-correct
next to the figures without any learned verb: which verbs add matched statements and which
add unmatched ones.

    PYTHONPATH=src python scripts/cue_verb_effects.py --sets quotes_val5 quotes_val6 \
        --verbs لاحظ علق اتهم
"""

from __future__ import annotations

import argparse
from pathlib import Path

from marsad.evaluate.jsonl import read_jsonl
from marsad.evaluate.quotes_eval import load_gold, match_statements
from marsad.extract import quotes
from marsad.extract.aliases import same_entity
from marsad.extract.ner import load_tagger
from marsad.extract.speaker_entities import snap_speakers
from marsad.text.arabic import fold

_read_sections = quotes._read_sections


def use_learned(verbs: list[str]) -> None:
    """Makes the lexicon read ``verbs`` as the learned cue verbs."""

    def read(name: str) -> dict[str, list[str]]:
        if name == "cue_verbs_learned_ar.txt":
            return {"verbs": [fold(v) for v in verbs]}
        return _read_sections(name)

    quotes._read_sections = read  # type: ignore[assignment]
    quotes._lexicon.cache_clear()
    quotes._cue_verb_classes.cache_clear()


def score(articles: list[tuple[str, str, list]], gold: dict) -> tuple[int, int, int]:
    n_pred = n_match = n_speaker = 0
    for article_id, text, entities in articles:
        predicted = snap_speakers(text, quotes.extract_statements(text), entities)
        matches = match_statements(predicted, gold.get(article_id, []))
        n_pred += len(predicted)
        n_match += len(matches)
        n_speaker += sum(
            same_entity(quotes.speaker_canonical(p.speaker_resolved), g.speaker_canonical)
            for p, g in matches
        )
    return n_pred, n_match, n_speaker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", required=True)
    parser.add_argument("--verbs", nargs="+", required=True)
    parser.add_argument("--only-all", action="store_true", help="score only none and all")
    args = parser.parse_args()
    tagger = load_tagger()
    data = {}
    for name in args.sets:
        gold: dict[str, list] = {}
        for item in load_gold(Path(f"evaluation/{name}/gold.jsonl")):
            gold.setdefault(item.article_id, []).append(item)
        rows = read_jsonl(Path(f"build/{name}_articles.jsonl"))
        articles = [(str(r["id"]), r["text"], tagger.entities(r["text"])) for r in rows]
        data[name] = (articles, gold)
    print("verb\t" + "\t".join(f"{n} pred/match/spk" for n in args.sets))
    singles = [] if args.only_all else [(v, [v]) for v in args.verbs]
    for label, verbs in [("(none)", []), *singles, ("(all)", args.verbs)]:
        use_learned(verbs)
        cells = ["/".join(map(str, score(*data[name]))) for name in args.sets]
        print(label + "\t" + "\t".join(cells), flush=True)


if __name__ == "__main__":
    main()
