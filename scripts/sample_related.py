"""Draw related-coverage links from a store, by score band, for a person to judge.

The floor of related coverage (``MIN_SHARE`` in ``marsad.search.related``) rests on judged
samples: is a listed neighbour the same subject, or chance? This script lists the links
that a lower floor would add, with both headlines and the shared words, so the judging
can be repeated. ``--place-anchor`` marks links whose shared words include a place name
that the store's entity extraction tagged in both the story and the neighbour, and that is
rare in the news background (a candidate rule to rescue links below the floor).

Run it on a store of the July dev pool (``marsad --db dev.db ingest build/stories_dev.jsonl.gz``,
with extraction for ``--place-anchor``)::

    python scripts/sample_related.py dev.db --stories 700 --floor 0.2 --place-anchor
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from marsad.search import related
from marsad.store import Store
from marsad.text import arabic

RARE_PLACE_DF = 150  # background articles (of about 15,000) at most: Idlib 54, Syria 695


def _place_stems(store: Store, article_id: int, span: tuple[int, int] | None = None) -> set[str]:
    found = set()
    for text, start, end in store.db.execute(
        "SELECT text, start, end FROM mentions WHERE article_id = ? AND label = 'LOC'",
        (article_id,),
    ):
        if span is None or (start >= span[0] and end <= span[1]):
            found.update(t.stem for t in arabic.tokenize(text) if arabic.is_content_word(t.text))
    return found


def _story_places(store: Store, story_id: int) -> set[str]:
    found: set[str] = set()
    for (article_id,) in store.db.execute(
        "SELECT id FROM articles WHERE story_id = ? AND duplicate_of IS NULL LIMIT ?",
        (story_id, related.MAX_MEMBERS),
    ):
        found |= _place_stems(store, int(article_id))
    for passage in store.story_passages(story_id)[: related.MAX_MEMBERS]:
        span = (int(passage["start"]), int(passage["end"]))
        found |= _place_stems(store, int(passage["article_id"]), span)
    return found


def _part_places(store: Store, link: related.RelatedStory) -> set[str]:
    if link.paragraphs is None:
        return _place_stems(store, link.article_id)
    row = store.db.execute(
        "SELECT start, end FROM passages WHERE article_id = ? AND story_id = ?",
        (link.article_id, link.story_id),
    ).fetchone()
    return _place_stems(store, link.article_id, (int(row[0]), int(row[1]))) if row else set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--stories", type=int, default=700, help="random stories read")
    parser.add_argument("--floor", type=float, default=0.2, help="lowest score listed")
    parser.add_argument("--judge", type=int, default=25, help="links printed for judging")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--place-anchor", action="store_true")
    args = parser.parse_args()

    default_floor = related.MIN_SHARE
    related.MIN_SHARE = args.floor  # a scratch setting for this process only
    store = Store(args.db, normalizer_version=arabic.NORMALIZER_VERSION)
    _, background = related.background_df()
    ids = [int(r[0]) for r in store.db.execute("SELECT id FROM stories ORDER BY id")]
    rng = random.Random(args.seed)
    links = []
    for story_id in rng.sample(ids, min(args.stories, len(ids))):
        story = store.story(story_id)
        places = _story_places(store, story_id) if args.place_anchor else set()
        for link in related.related_stories(store, story_id, limit=10):
            anchors: list[str] = []
            if args.place_anchor:
                shared = {t.stem for word in link.shared for t in arabic.tokenize(word)}
                anchors = sorted(
                    stem
                    for stem in shared & places & _part_places(store, link)
                    if background.get(stem, 0) <= RARE_PLACE_DF
                )
            links.append((story.title if story else "", link, anchors))
    band = [x for x in links if x[1].score < default_floor]
    pool = [x for x in band if x[2]] if args.place_anchor else band
    print(
        f"{len(links)} links at score >= {args.floor}; {len(band)} below the floor "
        f"{default_floor}" + (f", {len(pool)} of them anchored" if args.place_anchor else "")
    )
    for number, (title, link, anchors) in enumerate(rng.sample(pool, min(args.judge, len(pool)))):
        print(
            f"{number:2} {link.score:.3f} {' '.join(anchors)} | {title[:80]} <=> "
            f"{link.title[:80]} | {' '.join(link.shared)}"
        )


if __name__ == "__main__":
    main()
