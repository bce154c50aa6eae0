"""``marsad`` command line: a thin layer over library functions.

Errors are one line on stderr (exit 1; exit 2 for input paths that do not exist);
``--debug`` shows tracebacks. Long runs draw a progress bar only when stderr is a
terminal, so pipes and CI logs stay clean. A closed stdout (``marsad story 1 | head``)
ends the command quietly.

``marsad ingest`` exits 0 when it ran, even if records were skipped: each skipped record
is one ``skipped FILE:LINE: reason`` line on stderr, each kept record that reading had to
change (a date it could not use, removed surrogates) one ``warning FILE:LINE: ...`` line.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from marsad import __version__
from marsad.errors import MarsadError
from marsad.text.arabic import strip_section_prefix
from marsad.text.counting import count_phrase

MIN_OUTLETS_TO_COMPARE = 2  # outlet coverage and framing lines need two outlets or more

DEFAULT_DB = "marsad.db"
# Marsad's matrix products are small; BLAS thread pools only add contention on few cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


# -- output helpers ---------------------------------------------------------------------
def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def progress_bar(label: str) -> Callable[[int, int], None] | None:
    """A stderr progress callback, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\r{label} [{bar}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def _open_pipeline(db: str, config: str | None) -> Any:
    from marsad.pipeline import Pipeline
    from marsad.settings import load_settings
    from marsad.store import open_store

    settings = load_settings(config)  # first: a bad settings file leaves no empty store
    return Pipeline(open_store(db), settings)


def _open_reader(db: str) -> Any:
    """The store, for commands that only read: opened read-only, never a pipeline (see
    :func:`marsad.service.open_reader`)."""
    from marsad.service import open_reader

    return open_reader(db)


def missing_input(paths: list[str]) -> bool:
    """Say (one line) and return True when an input path does not exist."""
    for path in paths:
        if not Path(path).exists():
            print(
                f"marsad: error: {path}: no such file or folder; check the path "
                "(nothing was ingested)",
                file=sys.stderr,
            )
            return True
    return False


# -- commands ---------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest files or folders."""
    # Checked before the store is opened, which would create an empty one.
    if missing_input(args.paths):
        return 2
    pipeline = _open_pipeline(args.db, args.config)
    if args.no_extract:
        pipeline.settings = dataclasses.replace(pipeline.settings, extract=False)
    if args.crawl_dates:
        pipeline.settings = dataclasses.replace(pipeline.settings, crawl_dates=True)
    pipeline.on_wait = _waiting_line(args.db)
    report = pipeline.ingest(
        _read_all(args.paths), progress=progress_bar("ingest"), on_skip=_print_skipped
    )
    print(report.line())
    return 0


def _print_skipped(skipped: Any) -> None:
    print(f"skipped {skipped.origin}: {skipped.reason}", file=sys.stderr)


def _waiting_line(db: str) -> Callable[[float], None]:
    """Tell a human why nothing moves: another writer holds the store's write lock."""

    def waiting(seconds: float) -> None:
        print(
            f"waiting for another writer to commit to {db} ({seconds:.0f} s so far)",
            file=sys.stderr,
        )

    return waiting


def _read_all(paths: Sequence[str]) -> Iterator[Any]:
    """Records of every path, lazily; each kept record's warnings become one stderr line."""
    from marsad.ingest import read_path
    from marsad.models import RawArticle

    for path in paths:
        for record in read_path(Path(path)):
            if isinstance(record, RawArticle) and record.warnings:
                print(f"warning {record.origin}: {'; '.join(record.warnings)}", file=sys.stderr)
            yield record


def cmd_stories(args: argparse.Namespace) -> int:
    """List stories."""
    from marsad.views import stories_view

    view = stories_view(
        _open_reader(args.db), limit=args.limit, offset=args.offset, source=args.source
    )
    if args.json:
        _print_json(view)
        return 0
    for story in view["stories"]:
        print(render_story_line(story))
    print(f"({len(view['stories'])} / {count_phrase(view['total'], 'story')})")
    return 0


def render_story_line(story: dict[str, Any]) -> str:
    """One line per story: id, size, outlets, span, title."""
    span = (story["first_seen"] or "")[:10]
    if story["last_seen"] and story["last_seen"][:10] != span:
        span += ".." + story["last_seen"][:10]
    flags = " BREAKING" if story.get("breaking") else ""
    thread = story.get("thread_id")
    if thread is not None and thread != story["id"]:
        flags += f" (thread #{thread})"
    size = f"{count_phrase(story['n_articles'], 'article'):>10}"
    if story.get("n_passages"):
        size += f" +{story['n_passages']} passage" + ("s" if story["n_passages"] > 1 else "")
    return (
        f"#{story['id']:<5} {size}  {span:<22}{flags} "
        f"{strip_section_prefix(story['title'])}  [{', '.join(map(outlet_name, story['sources']))}]"
    )


def cmd_story(args: argparse.Namespace) -> int:
    """Show one story."""
    from marsad.views import story_view

    view = story_view(_open_reader(args.db), args.id)
    if view is None:
        raise MarsadError(f"no story #{args.id}; list them with `marsad stories`")
    if args.json:
        _print_json(view)
    else:
        if view.get("merged_from") is not None:
            print(f"story #{view['merged_from']} was merged into story #{view['id']}")
        print(render_story(view))
    return 0


def _numbered(unit: str, first: int, last: int) -> str:
    """ "paragraph 3" or "paragraphs 3-5"."""
    return f"{unit} {first}" if first == last else f"{unit}s {first}-{last}"


def render_story(view: dict[str, Any]) -> str:
    """A story as readable text: headline, summary with outlet credits, articles."""
    lines = [render_story_line(view), "", view["summary"]["headline"], ""]
    for sentence in view["summary"]["sentences"]:
        lines.append(
            f"  • {sentence['text']}  ({', '.join(map(outlet_name, sentence['sources']))})"
        )
    lines += render_disagreements(view.get("disagreements"))
    if view.get("entities"):
        lines += ["", "Entities:"]
        for entity in view["entities"][:15]:
            variants = " / ".join(entity["variants"][:4])
            lines.append(
                f"  {entity['label']:<4} {entity['name']}  ({entity['articles']} art; {variants})"
            )
    if view.get("statements"):
        lines += ["", "Statements:"]
        for st in view["statements"][:20]:
            quote = "«" + st["text"] + "»" if st["direct"] else st["text"]
            via = f" via {st['source']}" if st["source"] else ""
            lines.append(
                f"  {st['speaker_canonical'] or st['speaker']}{via} [{st['outlet']}] {st['cue']}: {quote[:200]}"
            )
    if view.get("passages"):
        lines += ["", "Also reported in (passages of other articles):"]
        for p in view["passages"]:
            where = _numbered("paragraph", *p["paragraphs"])
            if p.get("sentences"):
                where += ", " + _numbered("sentence", *p["sentences"])
            lines.append(
                f"  [{p['article_id']}] {p['outlet']} {p['published'][:10]}, {where}"
                f" (story #{p['article_story']}): {p['text'][:160]}…"
            )
    if view.get("related"):
        lines += ["", "Related coverage (other stories of those days sharing rare words):"]
        for r in view["related"]:
            where = ", " + _numbered("paragraph", *r["paragraphs"]) if r["paragraphs"] else ""
            lines.append(
                f"  #{r['story_id']} {r['story_title'][:90]}"
                f" ({r['outlet']} {r['published'][:10]}, article [{r['article_id']}]{where};"
                f" shares {'، '.join(r['shared'])}; {r['score']:.2f})"
            )
    # Disagreements are listed above, after the summary; the outlet comparison needs two outlets.
    compared = len(view.get("sources") or ()) >= MIN_OUTLETS_TO_COMPARE
    analysis = view.get("analysis") or {}
    lines += render_analysis(
        {
            k: v
            for k, v in analysis.items()
            if k != "disagreements" and (compared or k == "timeline")
        }
    )
    lines += ["", "Articles:"]
    for article in view["articles"]:
        lines.append(
            f"  [{article['id']}] {article['published'][:16]} {outlet_name(article['source'])}:"
            f" {article['title']}"
        )
        if article["copies"]:
            lines.append(
                "        also carried by: "
                + ", ".join(outlet_name(c["source"]) for c in article["copies"])
            )
    return "\n".join(lines)


def cmd_entity(args: argparse.Namespace) -> int:
    """Show one entity across stories."""
    from marsad.views import entity_view

    view = entity_view(_open_reader(args.db), args.name)
    if view is None:
        raise MarsadError(f"no entity or speaker named {args.name!r} in {args.db}")
    if args.json:
        _print_json(view)
        return 0
    print(f"{view['name']} ({', '.join(view['labels']) or 'speaker'}): {view['mentions']} mentions")
    print(f"  spelled: {' / '.join(view['variants'][:8])}")
    print(f"  outlets: {', '.join(view['outlets'])}")
    if view["alternatives"]:
        print(
            "  did you mean: "
            + ", ".join(f"{a['name']} ({a['articles']} articles)" for a in view["alternatives"])
        )
    if view["co_occurring"]:
        print(
            "  with: "
            + ", ".join(f"{c['name']} ({c['articles']})" for c in view["co_occurring"][:10])
        )
    print("Stories:")
    for story in view["stories"]:
        print("  " + render_story_line(story))
    if view["statements"]:
        print("Statements:")
        for st in view["statements"]:
            print(f"  [{st['outlet']} {st['published'][:10]}] {st['cue']}: {st['text'][:200]}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare outlets over a story, a thread, or the newest articles of the store."""
    from marsad.views import comparison_view

    view = comparison_view(
        _open_reader(args.db), story=args.story, thread=args.thread, limit=args.limit
    )
    if view is None:
        raise MarsadError("nothing to compare: no articles in that selection")
    if args.json:
        _print_json(view)
        return 0
    lines = [
        f"{view['scope']}: {view['articles']} articles from "
        f"{', '.join(map(outlet_name, view['outlets']))}",
        "",
        view["summary"]["headline"],
        "",
    ]
    for sentence in view["summary"]["sentences"]:
        lines.append(
            f"  • {sentence['text']}  ({', '.join(map(outlet_name, sentence['sources']))})"
        )
    lines += render_analysis(view["analysis"])
    print("\n".join(lines))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write a self-contained Arabic HTML report for one story or all of them."""
    from marsad.report import render_report
    from marsad.views import story_view

    store = _open_reader(args.db)
    if args.all:
        ids = [s.id for s in store.stories(limit=args.limit)]
    elif args.story is not None:
        ids = [args.story]
    else:
        raise MarsadError("give a story id or --all (e.g. marsad report 3 -o report.html)")
    views = [v for v in (story_view(store, i) for i in ids) if v is not None]
    if not views:
        raise MarsadError(f"no story #{args.story}; list them with `marsad stories`")
    title = views[0]["title"] if len(views) == 1 else f"مرصد: {count_phrase(len(views), 'story')}"
    Path(args.output).write_text(render_report(views, title=title), encoding="utf-8")
    print(f"wrote {args.output} ({count_phrase(len(views), 'story')})")
    return 0


TIME_KIND_WORDS = {"published": "published", "crawled": "crawled, not a publication time"}


def render_coverage(coverage: dict[str, Any]) -> list[str]:
    """The outlet table: outlets by first report, the agencies they carried, who is absent,
    coverage by country and camp, and the blindspot line."""
    if not coverage.get("outlets"):
        return []
    name = outlet_name
    lines = ["", "Outlets (first report first):"]
    for row in coverage["outlets"]:
        first = " FIRST" if row.get("is_first") else ""
        kind = TIME_KIND_WORDS.get(str(row.get("first_report_kind")), "time kind unknown")
        parts = [f"{row['articles']} art"]
        if row.get("wire_copies"):
            parts.append(
                "agency copy of "
                + ", ".join(f"{w['agency_name']} ×{w['copies']}" for w in row["wire_copies"])
            )
        if row.get("copies"):
            parts.append(
                f"{row['copies']} copied from "
                + ", ".join(name(c["outlet"]) for c in row.get("copied_from", []))
            )
        if row.get("reposts"):
            parts.append(f"{row['reposts']} re-post of its own")
        lines.append(
            f"  {name(row['outlet'])}: {'; '.join(parts)};"
            f" first {str(row['first_report'])[:16]} ({kind}){first}"
        )
    for agency in coverage.get("agencies", []):
        lines.append(
            f"  agency {agency['agency_name']}: {agency['articles']} art carried by "
            + ", ".join(name(o) for o in agency["outlets"])
        )
    if coverage.get("missing"):
        lines.append(f"  did not cover it: {', '.join(name(o) for o in coverage['missing'])}")
    if coverage.get("by_country"):
        lines.append(
            "  by country: "
            + ", ".join(
                f"{c['country_name'] or c['country']} {c['outlets']}"
                for c in coverage["by_country"]
            )
        )
    if coverage.get("by_camp"):
        lines.append(
            "  by camp: "
            + ", ".join(
                f"{c['camp_name'] or c['camp']} {c['outlets']}" for c in coverage["by_camp"]
            )
        )
    if coverage.get("blindspot"):
        lines.append(f"  {coverage['blindspot']}")
    return lines


def outlet_name(slug: str) -> str:
    """An outlet's Arabic name from its profile, else its slug."""
    from marsad.profiles import profiles

    return profiles().name(slug)


def render_analysis(analysis: dict[str, Any] | None) -> list[str]:
    """Timeline, outlet coverage, framing and disagreements as text lines."""
    if not analysis:
        return []
    lines: list[str] = []
    if analysis.get("timeline"):
        lines += ["", "Timeline:"]
        for entry in analysis["timeline"][:12]:
            when = entry.get("date") or f"{entry.get('start')}..{entry.get('end')}"
            if entry.get("start") and entry.get("end") and entry["start"] != entry["end"]:
                when = f"{entry['start']}..{entry['end']}"
            lines.append(
                f"  {when}  «{entry['expression']}» {entry['text'][:150]}  ({', '.join(entry['outlets'])})"
            )
    lines += render_coverage(analysis.get("coverage") or {})
    if analysis.get("framing"):
        lines += ["", "Framing (terms each outlet uses for the same actor):"]
        for group in analysis["framing"]:
            uses = "; ".join(
                f"{o['outlet']}: " + ", ".join(f"{t['term']}×{t['count']}" for t in o["terms"])
                for o in group["outlets"]
            )
            lines.append(f"  {group['label_ar']} — {uses}")
    return lines + render_disagreements(analysis.get("disagreements"))


def render_disagreements(disagreements: dict[str, Any] | None) -> list[str]:
    """Numbers and statements that disagree between sources of a story (even one outlet's)."""
    numbers = (disagreements or {}).get("numbers") or []
    statements = (disagreements or {}).get("statements") or []
    lines: list[str] = []
    if numbers:
        lines += ["", "Numbers that disagree:"]
        for item in numbers:
            sides = " vs ".join(
                f"{r['qualifier'] + ' ' if r.get('qualifier') else ''}{r['text']} ({r['outlet']}"
                + (f", {r['speaker']}" if r.get("speaker") else "")
                + ")"
                for r in item["reports"]
            )
            lines.append(f"  {item['quantity']}: {sides}")
    if statements:
        lines += ["", "Statements that contradict each other:"]
        for item in statements:
            sides = " vs ".join(f"«{r['text'][:120]}» ({r['outlet']})" for r in item["reports"])
            lines.append(f"  {item['speaker']}: {sides}")
    return lines


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a day as YYYY-MM-DD, got {value!r}") from None


def cmd_search(args: argparse.Namespace) -> int:
    """Search articles: results grouped by story, wire copies collapsed, total counted."""
    from marsad.views import search_view

    view = search_view(
        _open_reader(args.db),
        args.query,
        limit=args.limit,
        offset=args.offset,
        since=args.since,
        until=args.until,
        source=args.outlet,
        story=args.story,
    )
    if args.json:
        _print_json(view)
        return 0
    hits = {hit["article_id"]: hit for hit in view["hits"]}
    for group in view["groups"]:
        if group["story_id"] is not None:
            print(f"story #{group['story_id']}: {group['story_title'] or ''}")
        else:
            print("no story:")
        for article_id in group["article_ids"]:
            hit = hits[article_id]
            print(
                f"  [{hit['article_id']}] {hit['published'][:10]} {hit['source']}: {hit['title']}"
            )
            print(f"      {hit['snippet']}")
            if hit["copies"]:
                outlets = ", ".join(f"{c['source']} [{c['article_id']}]" for c in hit["copies"])
                print(f"      + {len(hit['copies'])} copies: {outlets}")
    print(f"({view['total']} matching articles; {len(view['hits'])} shown from {args.offset + 1})")
    return 0


def cmd_normalize(args: argparse.Namespace) -> int:
    """Normalize stdin to stdout, line by line."""
    from marsad.text import arabic

    for line in sys.stdin:
        text = line.rstrip("\n")
        if args.profile == "display":
            out = arabic.display(text)
        elif args.profile == "fold":
            out = arabic.fold(text)
        else:
            out = arabic.match_text(text)
        sys.stdout.write(out + "\n")
    return 0


def demo_corpus() -> Path:
    """Path of the bundled demo corpus."""
    return Path(str(resources.files("marsad") / "demo" / "corpus"))


def cmd_demo(args: argparse.Namespace) -> int:
    """Ingest the bundled demo corpus and print its stories."""
    from marsad.ingest import read_path
    from marsad.views import story_view

    pipeline = _open_pipeline(args.db, args.config)
    report = pipeline.ingest(read_path(demo_corpus()), progress=progress_bar("demo"))
    for skipped in report.skipped:
        print(f"skipped {skipped.origin}: {skipped.reason}", file=sys.stderr)
    print(f"Demo corpus: {report.line()}\n")
    stories = pipeline.store.stories(limit=1000)
    for story in sorted(stories, key=lambda s: (-s.n_articles, s.id)):
        view = story_view(pipeline.store, story.id)
        assert view is not None
        print(render_story(view))
        print("-" * 72)
    print(
        f"Store: {args.db}. Next: marsad --db {args.db} search QUERY, marsad --db {args.db} story ID"
    )
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Evaluate a stage against labeled data; the last line is the headline score."""
    if args.stage == "stories":
        from marsad.evaluate.stories import evaluate_story_golds
        from marsad.settings import CONFIG_FILE, load_settings

        # A settings file scores that configuration (``--config``, else ./marsad.toml).
        config = args.config or (CONFIG_FILE if Path(CONFIG_FILE).is_file() else None)
        print(
            evaluate_story_golds(
                [Path(f) for f in args.golds],
                settings=load_settings(config),
                settings_file=config,
                compare=args.compare,
                tune_sweep=args.sweep,
                progress=progress_bar("eval"),
            )
        )
    elif args.stage == "ner":
        from marsad.evaluate.ner_eval import evaluate_ner, format_report

        print(format_report(evaluate_ner(Path(args.file))))
    elif args.stage == "quotes":
        from marsad.evaluate.quotes_eval import evaluate_quotes

        print(evaluate_quotes(Path(args.quotes), Path(args.articles)))
    elif args.stage == "aliases":
        from marsad.evaluate.aliases_eval import evaluate_aliases

        print(evaluate_aliases(Path(args.file), articles=[Path(a) for a in args.articles]))
    elif args.stage == "summaries":
        from marsad.evaluate.summaries_eval import evaluate_summaries

        print(evaluate_summaries(Path(args.refs), corpus=Path(args.corpus)))
    elif args.stage == "dates":
        from marsad.evaluate.dates_eval import evaluate_dates

        print(evaluate_dates(Path(args.gold), Path(args.corpus), show_errors=args.errors))
    elif args.stage == "disagreements":
        from marsad.evaluate.disagreements_eval import evaluate_disagreements

        print(evaluate_disagreements(Path(args.judged), Path(args.corpus), show_errors=args.errors))
    elif args.stage == "wires":
        from marsad.evaluate.wires_eval import evaluate_wires

        print(evaluate_wires(Path(args.gold), Path(args.corpus), show_errors=args.errors))
    elif args.stage == "breaking":
        from datetime import datetime

        from marsad.evaluate.breaking_eval import evaluate_breaking

        print(
            evaluate_breaking(
                _open_reader(args.db),
                Path(args.judged),
                since=datetime.fromisoformat(args.since),
                until=datetime.fromisoformat(args.until),
            )
        )
    elif args.stage == "search":
        from marsad.evaluate.search_eval import evaluate_search

        corpus = Path(args.corpus)
        print(
            evaluate_search(
                Path(args.gold),
                corpus=corpus,
                kept_apart=corpus.parent / "kept_apart_ids.txt",
                show_misses=args.errors,
                progress=progress_bar("eval"),
                pool_store=args.pool_db,
            )
        )
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    """Bring the store's derived data up to date: the search index (rebuilt when the
    Arabic rules changed) and every story analysis that is missing or outdated."""
    from marsad.refresh import refresh_analyses
    from marsad.store import store_exists

    if not store_exists(args.db):  # a file, or any PostgreSQL URL
        raise MarsadError(
            f"{args.db}: no such store; run `marsad --db {args.db} ingest PATH` first"
        )
    pipeline = _open_pipeline(
        args.db, getattr(args, "config", None)
    )  # opening a writer rebuilds an outdated index
    rebuilt = refresh_analyses(pipeline.store, progress=progress_bar("refresh"))
    print(f"refreshed {rebuilt} story analyses")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Benchmark the whole pipeline on a JSONL corpus."""
    from marsad.bench import run_bench
    from marsad.settings import load_settings

    settings = dataclasses.replace(load_settings(args.config), extract=not args.no_extract)
    if args.backfill:
        from marsad.bench import run_backfill_bench

        if args.bench_db:
            raise MarsadError("bench --backfill measures a temporary SQLite store; drop --db")

        print(
            run_backfill_bench(
                Path(args.corpus),
                workers=args.workers,
                limit=args.limit,
                settings=settings,
                blocks=args.blocks,
                progress=progress_bar("bench"),
            )
        )
        return 0
    print(
        run_bench(
            Path(args.corpus),
            limit=args.limit,
            settings=settings,
            progress=progress_bar("bench"),
            store_location=args.bench_db,
        )
    )
    return 0


# -- parser -----------------------------------------------------------------------------
SNN_CORPUS = "../shared/data/saudinewsnet/saudinewsnet.jsonl.gz"


def _corpus_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """``--corpus``: the evaluations' articles, SaudiNewsNet in ../shared by default."""
    parser.add_argument("--corpus", default=SNN_CORPUS, help=help_text)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document commands)."""
    parser = argparse.ArgumentParser(
        prog="marsad", description="Multi-source Arabic news intelligence."
    )
    parser.add_argument(
        "--db",
        default=DEFAULT_DB,
        help=f"store: a SQLite file (default {DEFAULT_DB}) or a postgresql://user@host/db URL",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="settings file (TOML; default ./marsad.toml when present, see the README)",
    )
    parser.add_argument("--version", action="version", version=f"marsad {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="ingest files or folders (.txt, .jsonl[.gz], .csv)")
    p.add_argument("paths", nargs="+")
    p.add_argument(
        "--no-extract", action="store_true", help="skip entities, statements and numbers (faster)"
    )
    p.add_argument(
        "--crawl-dates",
        action="store_true",
        help="the input's dates are crawl times, not publication times (SaudiNewsNet's are)",
    )
    p.set_defaults(run=cmd_ingest)

    p = sub.add_parser("stories", help="list stories, newest first")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--source", help="only stories covered by this outlet")
    p.set_defaults(run=cmd_stories)

    p = sub.add_parser("story", help="show one story with its summary and articles")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_story)

    p = sub.add_parser("entity", help="one person, place or organisation across stories")
    p.add_argument("name")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_entity)

    p = sub.add_parser(
        "compare", help="summary and outlet comparison over a story, a thread, or all articles"
    )
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--story", type=int, help="one story")
    scope.add_argument("--thread", type=int, help="every story of a thread")
    p.add_argument("--limit", type=int, default=500, help="newest articles used (default 500)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_compare)

    p = sub.add_parser("report", help="self-contained Arabic HTML report of stories")
    p.add_argument("story", type=int, nargs="?", help="story id")
    p.add_argument("--all", action="store_true", help="all stories (newest first, up to --limit)")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("-o", "--output", default="report.html")
    p.set_defaults(run=cmd_report)

    p = sub.add_parser("search", help="search articles (spelling-variant aware)")
    p.add_argument("query")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--since", type=_day, help="first publication day, YYYY-MM-DD")
    p.add_argument("--until", type=_day, help="last publication day, YYYY-MM-DD")
    p.add_argument("--outlet", help="only this outlet (its name as stored, e.g. aawsat)")
    p.add_argument("--story", type=int, help="only articles of this story id")
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("normalize", help="normalize Arabic text from stdin to stdout")
    p.add_argument("--profile", choices=("match", "fold", "display"), default="match")
    p.set_defaults(run=cmd_normalize)

    p = sub.add_parser("demo", help="ingest the bundled demo corpus and show its stories")
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser("eval", help="score a stage on labeled data (last line: the score)")
    stages = p.add_subparsers(dest="stage", required=True)
    e = stages.add_parser("stories", help="story clustering: B-cubed and pairwise P/R/F1")
    e.add_argument(
        "golds",
        nargs="+",
        metavar="GOLD",
        help="gold JSONL(.gz): id, source, date, title, text, story; several give one block"
        " each, and the last line is the bcubed_f1 of the last one",
    )
    e.add_argument(
        "--compare",
        action="store_true",
        help="also run the baselines (thresholds fixed on the July dev gold) side by side",
    )
    e.add_argument(
        "--sweep",
        action="store_true",
        help="also print each baseline's threshold sweep tuned on this gold (optimistic)",
    )
    e = stages.add_parser("ner", help="named entities: entity-level P/R/F1 per type")
    e.add_argument("file", help="CoNLL file: `token TAG` lines, blank line between sentences")
    e = stages.add_parser("quotes", help="attributed statements: P/R/F1 and speaker accuracy")
    e.add_argument("quotes", help="gold statements JSONL")
    e.add_argument("articles", help="articles JSONL (id, text)")
    e = stages.add_parser("aliases", help="name variants: pairwise P/R/F1 of same-entity decisions")
    e.add_argument("file", help="JSONL of {variants: [...]} and {a, b, same: false}")
    e.add_argument(
        "--articles",
        nargs="+",
        default=[],
        metavar="FILE",
        help="score as a store holding these articles would: it mines its own name variants",
    )
    e = stages.add_parser("summaries", help="ROUGE of Marsad, lead and LexRank summaries")
    e.add_argument("refs", help="reference summaries JSONL")
    _corpus_option(e, "corpus JSONL(.gz) holding the referenced articles")
    e = stages.add_parser("dates", help="date expressions: recall, precision, resolution accuracy")
    e.add_argument("gold", help="gold mentions JSONL: article_id, start, end, text, first, last")
    _corpus_option(e, "corpus JSONL(.gz) holding the articles (id, date, text)")
    e.add_argument("--errors", action="store_true", help="list missed and misresolved mentions")
    e = stages.add_parser(
        "disagreements", help="number disagreements: precision and recall on judged pairs"
    )
    e.add_argument(
        "judged", help="judged pairs JSONL (stories.jsonl with the story members beside it)"
    )
    _corpus_option(e, "corpus JSONL(.gz) holding the articles (id, source, date, title, text)")
    e.add_argument("--errors", action="store_true", help="list listed false and missed real pairs")
    e = stages.add_parser("wires", help="wire attribution: precision and recall of the agency")
    e.add_argument("gold", help="labels CSV (id,day,outlet,agency) or a folder of *_labels.csv")
    _corpus_option(e, "corpus JSONL(.gz) holding the articles (id, title, text)")
    e.add_argument("--errors", action="store_true", help="list wrong and missed agencies")
    e = stages.add_parser("breaking", help="precision of the breaking flag of the --db store")
    e.add_argument("judged", help="judged stories TSV: yes|no, article input ids")
    e.add_argument("--since", required=True, help="stories begun at or after (ISO date)")
    e.add_argument("--until", required=True, help="stories begun before (ISO date)")
    e = stages.add_parser("search", help="search: recall@20 and MRR on variant-spelling queries")
    e.add_argument("gold", help="gold JSONL: query, day, part (dev/val), kind, relevant ids")
    _corpus_option(
        e, "SaudiNewsNet JSONL(.gz); its kept_apart_ids.txt beside it is left out of the pool"
    )
    e.add_argument("--errors", action="store_true", help="list the relevant articles missed")
    e.add_argument(
        "--pool-db",
        help="build the pool in this empty store (e.g. a postgresql:// URL) instead of a"
        " temporary SQLite file, to score search on that backend",
    )
    p.set_defaults(run=cmd_eval)

    p = sub.add_parser(
        "refresh", help="rebuild the search index if outdated and keep every story's analysis"
    )
    p.set_defaults(run=cmd_refresh)

    p = sub.add_parser("bench", help="measure throughput and memory per stage")
    p.add_argument("corpus")
    p.add_argument("--limit", type=int, help="use only the first N articles")
    p.add_argument(
        "--no-extract",
        action="store_true",
        help="skip entities, statements and numbers (stories, dedup, summaries, search only)",
    )
    p.add_argument(
        "--backfill", action="store_true", help="measure `marsad backfill` on a local Dask cluster"
    )
    p.add_argument(
        "--workers", type=int, default=2, help="worker processes with --backfill (default 2)"
    )
    p.add_argument(
        "--blocks",
        type=int,
        default=0,
        metavar="N",
        help="with --backfill: write in N time blocks on the workers (default 0: ordered write)",
    )
    p.add_argument(
        "--db",
        dest="bench_db",
        help="ingest into this empty store (e.g. a postgresql:// URL) to measure that backend;"
        " default a temporary SQLite file",
    )
    p.set_defaults(run=cmd_bench)

    from marsad.cli import aliases, backfill, desk, serve, stores, watch

    aliases.add_parsers(sub)
    backfill.add_parsers(sub)
    stores.add_parsers(sub)
    watch.add_parsers(sub)
    serve.add_parsers(sub)
    desk.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``marsad`` command."""
    args = build_parser().parse_args(argv)
    try:
        code = int(args.run(args))
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return code
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly like other Unix tools. Python's exit
        # flush would fail again, so stdout now points at /dev/null (Python docs' recipe).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what shells report for a tool stopped by a closed pipe
    except MarsadError as exc:
        if args.debug:
            raise
        print(f"marsad: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "marsad: interrupted; stored batches are kept, run the command again to resume",
            file=sys.stderr,
        )
        return 130
    except (OSError, ValueError) as exc:
        if args.debug:
            raise
        print(f"marsad: error: {exc} (run with --debug for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
