"""A self-contained Arabic (right-to-left) HTML report of stories and how outlets covered them.

Input is :func:`marsad.views.story_view` output, optionally with an ``analysis`` dict
(coverage, claims, framing, distinctive_terms, disagreements, timeline). Analysis parts may
be missing or partial; each part that is present is drawn by a dedicated block when its
shape is recognised and as a generic nested table otherwise, so a new field never breaks
the page.

Safety: everything from articles is untrusted. All text goes through
:func:`marsad.report.text.text` (bidi controls removed, HTML-escaped with quotes), links
are kept only for http(s) URLs, and a Content-Security-Policy forbids scripts and any
external request, so the file can be opened or mailed as is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from marsad.profiles import outlet_name
from marsad.report.chart import (
    bucket_width_text,
    coverage_grid,
    coverage_svg,
    parse_time,
    publications,
)
from marsad.report.style import BADGE_LIGHTNESS, BADGE_SATURATION, CSS
from marsad.report.text import text
from marsad.text.arabic import strip_section_prefix
from marsad.text.counting import count_phrase

#: Blocks one story's analysis may have, in page order, with their Arabic headings.
ANALYSIS_BLOCKS = (
    ("claims", "الادعاءات ومن نقلها"),
    ("framing", "مصطلحات التأطير لكل منفذ"),
    ("distinctive_terms", "المصطلحات المميزة"),
    ("disagreements", "نقاط الخلاف بين المصادر"),
)
#: Blocks that compare outlets: drawn only for a story covered by this many outlets or more.
COMPARING_BLOCKS = frozenset({"claims", "framing", "distinctive_terms", "quotes"})
MIN_OUTLETS_TO_COMPARE = 2
#: An outlet "did not cover" a story only if it published within this time of the story's
#: span; an outlet of the report silent for months says nothing about this story.
COVERAGE_WINDOW = timedelta(days=1)
#: Analysis fields about the analysis itself (format, what it was built from, when), not
#: findings: never shown as sections.
BOOKKEEPING = frozenset({"version", "articles", "outlets", "basis", "built_at", "stale"})
#: Column headings for keys analysis records commonly use; other keys are shown as is.
LABELS = {
    "outlet": "المنفذ",
    "source": "المنفذ",
    "articles": "المقالات",
    "originals": "مقالات خاصة",
    "copies": "نسخ منقولة",
    "first_report": "أول تقرير",
    "first": "أول تقرير",
    "lag_hours": "التأخر (ساعة)",
    "missing": "ما فاته",
    "terms": "المصطلحات",
    "term": "المصطلح",
    "text": "النص",
    "claim": "الادعاء",
    "outlets": "المنافذ",
    "sources": "المنافذ",
    "value": "القيمة",
    "date": "التاريخ",
    "copied_from": "نقل عن",
    "is_first": "الأسبق",
    "quantity": "الكمية",
    "speaker": "المتحدث",
    "score": "الوزن",
    "unique_claims": "ما انفرد به",
    "quotes": "من يقتبس",
    "count": "العدد",
    "article": "المقال",
    "start": "من الحرف",
    "end": "إلى الحرف",
    "numbers": "أرقام متباينة",
    "statements": "تصريحات متعارضة",
    "z": "z",
}
MAX_DEPTH = 4
MAX_COLUMNS = 8
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"


def render_report(story_views: list[dict[str, Any]], *, title: str) -> str:
    """Render stories into one self-contained right-to-left HTML page.

    Args:
        story_views: :func:`marsad.views.story_view` dicts, optionally with ``analysis``.
        title: Page title (escaped like everything else).

    Returns:
        The HTML document.
    """
    everyone = sorted({str(s) for view in story_views for s in outlets_of(view)})
    activity: dict[str, list[datetime]] = {}
    for view in story_views:
        for outlet, when in publications(view.get("articles") or ()):
            activity.setdefault(outlet, []).append(when)
    toc = "".join(
        f'<li><a href="#story-{i}">{text(headline_of(view))}</a></li>'
        for i, view in enumerate(story_views, 1)
    )
    stories = "".join(story_section(view, i, activity) for i, view in enumerate(story_views, 1))
    count = len(story_views)
    intro = (
        f'<nav class="toc" aria-label="القصص"><ol>{toc}</ol></nav>'
        if count
        else '<p class="muted">لا توجد قصص في هذا التقرير.</p>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="referrer" content="no-referrer"><title>{text(title)}</title>'
        f"<style>{CSS}</style></head><body>"
        f'<header class="report"><h1>{text(title)}</h1>'
        f'<p class="muted">{count_phrase(count, "story")} · '
        f"{count_phrase(len(everyone), 'media_outlet')} · تقرير مرصد</p>"
        f"</header>{intro}<main>{stories}</main></body></html>\n"
    )


# -- one story ----------------------------------------------------------------------------


def story_section(
    view: Mapping[str, Any], index: int, activity: Mapping[str, Sequence[datetime]]
) -> str:
    """One story: headline, summary, chart, outlets, timeline, then the analysis blocks.

    ``activity``: publication times of every outlet of the report, to tell which outlets
    were active around the story (those alone can have "not covered" it).
    """
    analysis = view.get("analysis")
    analysis = dict(analysis) if isinstance(analysis, Mapping) else {}
    found = analysis.get("disagreements") or view.get("disagreements")
    if isinstance(found, Mapping) and not any(found.values()):
        found = None  # {"numbers": [], "statements": []}: nothing to show
    analysis["disagreements"] = found
    compared = len(outlets_of(view)) >= MIN_OUTLETS_TO_COMPARE
    articles = [a for a in view.get("articles") or () if isinstance(a, Mapping)]
    parts = [
        f'<article class="story" id="story-{index}" aria-labelledby="story-{index}-h">',
        f'<h2 id="story-{index}-h">{text(headline_of(view))}</h2>',
        meta_line(view),
        summary_block(view),
        chart_block(articles, index),
        outlets_block(
            analysis.get("coverage"),
            articles,
            outlets_of(view),
            active_around(view, articles, activity),
        ),
        timeline_block(analysis.get("timeline") or view.get("timeline"), articles),
    ]
    for key, heading in ANALYSIS_BLOCKS:
        value = analysis.get(key)
        if value and (compared or key not in COMPARING_BLOCKS):
            parts.append(f"<h3>{heading}</h3>{analysis_block(key, value)}")
    for key, value in analysis.items():
        shown = {"coverage", "timeline", *(k for k, _ in ANALYSIS_BLOCKS), *BOOKKEEPING}
        if key not in shown and value and (compared or key not in COMPARING_BLOCKS):
            parts.append(f"<h3>{text(key)}</h3>{render_value(value)}")
    parts.append("</article>")
    return "".join(parts)


def active_around(
    view: Mapping[str, Any],
    articles: Sequence[Mapping[str, Any]],
    activity: Mapping[str, Sequence[datetime]],
) -> list[str]:
    """Outlets that published anything within :data:`COVERAGE_WINDOW` of the story's span."""
    times = [when for _, when in publications(articles)]
    for key in ("first_seen", "last_seen"):
        when = parse_time(view.get(key))
        if when is not None:
            times.append(when)
    if not times:
        return sorted(activity)
    first, last = min(times) - COVERAGE_WINDOW, max(times) + COVERAGE_WINDOW
    return sorted(
        outlet
        for outlet, published in activity.items()
        if any(first <= when <= last for when in published)
    )


def headline_of(view: Mapping[str, Any]) -> str:
    """The summary headline, else the story title, else a placeholder."""
    summary = view.get("summary")
    if isinstance(summary, Mapping) and summary.get("headline"):
        return strip_section_prefix(str(summary["headline"]))
    return strip_section_prefix(str(view.get("title") or "قصة بلا عنوان"))


def outlets_of(view: Mapping[str, Any]) -> list[str]:
    """Outlets of a story: its ``sources``, else those of its articles and copies."""
    sources = view.get("sources")
    if isinstance(sources, list) and sources:
        return [str(s) for s in sources]
    return sorted({outlet for outlet, _ in publications(view.get("articles") or ())})


def meta_line(view: Mapping[str, Any]) -> str:
    """Article and outlet counts, time span and the breaking flag."""
    items = []
    if view.get("breaking"):
        items.append('<span class="flag">عاجل</span>')
    if isinstance(view.get("n_articles"), int):
        items.append(count_phrase(view["n_articles"], "article"))
    items.append(count_phrase(len(outlets_of(view)), "outlet"))
    first, last = view.get("first_seen"), view.get("last_seen")
    if first:
        span = time_tag(first) + (f" – {time_tag(last)}" if last and last != first else "")
        items.append(span)
    return '<div class="meta">' + "".join(f"<span>{item}</span>" for item in items) + "</div>"


def summary_block(view: Mapping[str, Any]) -> str:
    """Summary sentences, each with badges of the outlets carrying its fact."""
    summary = view.get("summary")
    sentences = summary.get("sentences") if isinstance(summary, Mapping) else None
    if not sentences:
        return ""
    items = []
    for sentence in sentences:
        if isinstance(sentence, Mapping):
            sources = sentence.get("sources") or ()
            items.append(f"<li><bdi>{text(sentence.get('text', ''))}</bdi>{badges(sources)}</li>")
        else:
            items.append(f"<li><bdi>{text(sentence)}</bdi></li>")
    return f'<h3>الملخص</h3><ol class="summary">{"".join(items)}</ol>'


def chart_block(articles: Sequence[Mapping[str, Any]], index: int) -> str:
    """The coverage chart with its caption; empty when no article is dated."""
    grid = coverage_grid(publications(articles))
    if grid is None:
        return ""
    caption = f"story-{index}-chart"
    return (
        f"<h3>التغطية عبر الزمن</h3><figure>{coverage_svg(grid, caption_id=caption)}"
        f'<figcaption id="{caption}">عدد مقالات كل منفذ (ومنها النسخ المنقولة) في كل خانة '
        f"زمنية مدتها {bucket_width_text(grid)}؛ الزمن يجري من اليمين (الأقدم) إلى اليسار "
        "(الأحدث).</figcaption></figure>"
    )


def outlets_block(
    coverage: object,
    articles: Sequence[Mapping[str, Any]],
    covering: Sequence[str],
    active: Sequence[str],
) -> str:
    """The outlet table: the analysis' coverage when present, else counted from articles.

    ``active``: the outlets active around the story; those absent from it did not cover it.
    """
    heading = "<h3>المنافذ وتغطيتها</h3>"
    if isinstance(coverage, Mapping) and isinstance(coverage.get("outlets"), list):
        earliest = as_list(coverage.get("first"))
        missing = as_list(coverage.get("missing"))
        table = (
            credited_table(coverage)
            if all(isinstance(o, Mapping) and "reposts" in o for o in coverage["outlets"])
            else render_value(coverage["outlets"])
        )
        crawled = coverage.get("first_time_kind") == "crawled"
        return (
            heading
            + table
            + (f"<p>أول من نشر: {badges(earliest)}</p>" if earliest else "")
            + ("<p>الأوقات أوقات جمع الصفحات لا أوقات نشرها.</p>" if crawled else "")
            + (f'<p class="missing">لم تغطّها: {badges(missing)}</p>' if missing else "")
            + coverage_groups(coverage)
        )
    if coverage:
        return heading + render_value(coverage)
    rows = outlet_rows(articles)
    if not rows:
        return ""
    first = min(row[3] for row in rows)
    body = "".join(
        f"<tr><td>{badges([outlet])}</td><td class='num'>{originals}</td>"
        f"<td class='num'>{copies}</td><td>{time_tag(when.isoformat())}</td>"
        f"<td class='num'>{lag_text(when - first)}</td></tr>"
        for outlet, originals, copies, when in rows
    )
    missing = [o for o in active if o not in set(covering)]
    absent = f'<p class="missing">لم تغطّها: {badges(missing)}</p>' if missing else ""
    return (
        f"{heading}<table><thead><tr><th>المنفذ</th><th>مقالات خاصة</th><th>نسخ منقولة</th>"
        f"<th>أول تقرير</th><th>بعد الأول</th></tr></thead><tbody>{body}</tbody></table>{absent}"
    )


def credited_table(coverage: Mapping[str, Any]) -> str:
    """The outlet table of an analysis that credits agency copies (version 2 and later)."""
    rows = []
    for row in coverage["outlets"]:
        wires = "، ".join(
            f"{text(str(w.get('agency_name')))} ({w.get('copies')})"
            for w in as_list(row.get("wire_copies"))
            if isinstance(w, Mapping)
        )
        copied = "، ".join(
            f"{text(outlet_name(str(c.get('outlet'))))} ({c.get('copies')})"
            for c in as_list(row.get("copied_from"))
            if isinstance(c, Mapping)
        )
        kind = " (وقت الجمع)" if row.get("first_report_kind") == "crawled" else ""
        rows.append(
            f"<tr><td>{badges([row.get('outlet')])}</td><td class='num'>{row.get('articles')}</td>"
            f"<td>{wires}</td><td>{copied}</td><td class='num'>{row.get('reposts') or ''}</td>"
            f"<td>{time_tag(str(row.get('first_report')))}{kind}</td></tr>"
        )
    agencies = [
        a
        for a in as_list(coverage.get("agencies"))
        if isinstance(a, Mapping) and not a.get("generic")
    ]
    carried = (
        "<p>وكالات غطّتها: "
        + "، ".join(
            f"<bdi>{text(str(a.get('agency_name')))}</bdi> ({a.get('articles')})" for a in agencies
        )
        + "</p>"
        if agencies
        else ""
    )
    return (
        "<table><thead><tr><th>المنفذ</th><th>مقالات</th><th>من وكالة</th><th>نقلاً عن منفذ</th>"
        "<th>إعادة نشر لمقاله</th><th>أول تغطية</th></tr></thead><tbody>"
        + "".join(rows)
        + f"</tbody></table>{carried}"
    )


def coverage_groups(coverage: Mapping[str, Any]) -> str:
    """Coverage by country and camp, and the blindspot line, where profiles allow."""
    parts = []
    countries = [c for c in as_list(coverage.get("by_country")) if isinstance(c, Mapping)]
    if countries:
        parts.append(
            "<p>حسب البلد: "
            + "، ".join(
                f"{text(str(c.get('country_name') or c.get('country')))} ({c.get('outlets')})"
                for c in countries
            )
            + "</p>"
        )
    camps = [c for c in as_list(coverage.get("by_camp")) if isinstance(c, Mapping)]
    if camps:
        parts.append(
            "<p>حسب التوجه: "
            + "، ".join(
                f"{text(str(c.get('camp_name') or c.get('camp')))} ({c.get('outlets')})"
                for c in camps
            )
            + "</p>"
        )
    if coverage.get("blindspot"):
        parts.append(f'<p class="blindspot">{text(str(coverage["blindspot"]))}</p>')
    return "".join(parts)


def outlet_rows(articles: Sequence[Mapping[str, Any]]) -> list[tuple[str, int, int, datetime]]:
    """(outlet, originals, copies, first report) per outlet, earliest first."""
    stats: dict[str, list[Any]] = {}
    for article in articles:
        for item, is_copy in ((article, False), *((c, True) for c in article.get("copies") or ())):
            when = parse_time(item.get("published"))
            if when is None:
                continue
            entry = stats.setdefault(str(item.get("source") or "?"), [0, 0, when])
            entry[1 if is_copy else 0] += 1
            entry[2] = min(entry[2], when)
    rows = [(outlet, e[0], e[1], e[2]) for outlet, e in stats.items()]
    return sorted(rows, key=lambda row: (row[3], row[0]))


def lag_text(lag: Any) -> str:
    """A delay as hours and minutes ("—" for the first report)."""
    minutes = int(lag.total_seconds() // 60)
    if minutes <= 0:
        return "—"
    return f"{minutes // 60}:{minutes % 60:02d} س" if minutes >= 60 else f"{minutes} د"


def timeline_block(timeline: object, articles: Sequence[Mapping[str, Any]]) -> str:
    """Dated developments from the analysis, else every publication in time order."""
    if isinstance(timeline, list) and timeline:
        items = [timeline_item(entry) for entry in timeline]
        body = "".join(items)
        return f'<h3>التسلسل الزمني</h3><ol class="timeline">{body}</ol>' + articles_block(articles)
    return articles_block(articles, heading="التسلسل الزمني للنشر")


def timeline_item(entry: object) -> str:
    """One development: its date, what happened and who reported it."""
    if not isinstance(entry, Mapping):
        return f"<li>{render_value(entry)}</li>"
    when = pick(entry, "date", "first", "when", "day", "published", "time")
    reports = entry.get("reports")
    first_report = reports[0] if isinstance(reports, list) and reports else {}
    first_report = first_report if isinstance(first_report, Mapping) else {}
    what = pick(entry, "text", "summary", "event", "description", "headline", "title")
    if what is None:
        what = pick(first_report, "text", "sentence")
    outlets = pick(entry, "outlets", "sources", "outlet", "source")
    if outlets is None and isinstance(reports, list):
        outlets = [pick(r, "outlet", "source") for r in reports if isinstance(r, Mapping)]
    last = entry.get("last")
    date_text = time_tag(when) if when is not None else ""
    if last and last != when:
        date_text += f" – {time_tag(last)}"
    return (
        f"<li>{date_text}<bdi>{text(what) if what is not None else render_value(entry)}</bdi>"
        f"{badges(as_list(outlets))}</li>"
    )


def articles_block(articles: Sequence[Mapping[str, Any]], *, heading: str = "المقالات") -> str:
    """Every article and copy in publication order: time, outlet, title (linked if http)."""
    rows = []
    for article in articles:
        for item, is_copy in ((article, False), *((c, True) for c in article.get("copies") or ())):
            rows.append((parse_time(item.get("published")) or datetime.max, is_copy, item))
    if not rows:
        return ""
    rows.sort(key=lambda row: (row[0], row[1], str(row[2].get("source"))))
    items = "".join(
        f"<li>{time_tag(item.get('published'))}{badges([item.get('source') or '?'])} "
        f"{link(strip_section_prefix(str(item.get('title') or 'بلا عنوان')), item.get('url'))}"
        f"{' <small class=muted>(نسخة منقولة)</small>' if is_copy else ''}</li>"
        for _, is_copy, item in rows
    )
    return f'<h3>{heading}</h3><ol class="timeline">{items}</ol>'


# -- analysis blocks ----------------------------------------------------------------------


def analysis_block(key: str, value: object) -> str:
    """Draw one recognised analysis part, or fall back to the generic rendering."""
    if (
        key == "framing"
        and isinstance(value, list)
        and value
        and all(
            isinstance(item, Mapping) and isinstance(item.get("outlets"), list) for item in value
        )
    ):
        return "".join(framing_group(item) for item in value)
    if key == "claims" and isinstance(value, Mapping):
        return "".join(
            f"<div>{badges([outlet])}{claims_list(as_list(items))}</div>"
            for outlet, items in value.items()
            if items
        )
    if key in ("framing", "distinctive_terms"):
        grouped = terms_by_outlet(value)
        if grouped is not None:
            return terms_table(grouped)
    if key == "claims" and isinstance(value, list):
        return claims_list(value)
    if key == "disagreements" and isinstance(value, list):
        return "".join(disagreement(item) for item in value)
    if (
        key == "disagreements"
        and isinstance(value, Mapping)
        and {"numbers", "statements"} & set(value)
    ):
        return disagreement_lists(value)
    return render_value(value)


def framing_group(item: Mapping[str, Any]) -> str:
    """One actor and the terms each outlet used for it (``GroupFraming``-shaped records)."""
    group = item.get("group")
    label = (
        pick(group, "label_ar", "label", "id") if isinstance(group, Mapping) else group
    ) or pick(item, "label_ar", "label", "actor")
    rows = []
    for outlet in item["outlets"]:
        if not isinstance(outlet, Mapping):
            rows.append(f"<tr><td colspan='2'>{render_value(outlet)}</td></tr>")
            continue
        uses = as_list(pick(outlet, "uses", "terms"))
        chips = "".join(term_chip(use_term(use)) for use in uses)
        rows.append(
            f"<tr><td>{badges([pick(outlet, 'outlet', 'source')])}</td><td>{chips}</td></tr>"
        )
    flag = ' <span class="flag">مختلَف عليه</span>' if item.get("contested") else ""
    head = f"<strong><bdi>{text(label)}</bdi></strong>{flag}" if label is not None else flag
    return f"<div>{head}<table><tbody>{''.join(rows)}</tbody></table></div>"


def use_term(use: object) -> object:
    """A term use ``{term: {term: ...}, count}`` as a (term, count) pair; others as is."""
    if isinstance(use, Mapping) and isinstance(use.get("term"), Mapping):
        return (pick(use["term"], "term", "text", "label"), use.get("count"))
    return use


def terms_by_outlet(value: object) -> list[tuple[str | None, list[object]]] | None:
    """Normalise framing or distinctive terms to (outlet, terms) pairs; None if unrecognised.

    Accepts ``{outlet: [terms]}``, ``{outlet: {term: score}}``, ``{outlet: {"terms": [...]}}``,
    a list of ``{"outlet": ..., "terms": [...]}`` records, or a flat list of terms.
    """
    if isinstance(value, Mapping):
        return [(str(outlet), terms_of(item)) for outlet, item in value.items()]
    if isinstance(value, list):
        if all(not isinstance(item, Mapping | list) for item in value):
            return [(None, list(value))]
        grouped: list[tuple[str | None, list[object]]] = []
        for item in value:
            if not isinstance(item, Mapping):
                return None
            outlet = pick(item, "outlet", "source")
            terms = pick(item, "terms", "words", "top_terms", "framing")
            if terms is None:
                return None if outlet is not None else [(None, list(value))]
            grouped.append((None if outlet is None else str(outlet), terms_of(terms)))
        return grouped
    return None


def terms_of(value: object) -> list[object]:
    """Terms of one outlet: a list as is, a ``{term: score}`` map as (term, score) pairs."""
    if isinstance(value, Mapping):
        nested = pick(value, "terms", "words", "top_terms")
        if nested is not None:
            return terms_of(nested)
        return [(term, score) for term, score in value.items()]
    return as_list(value)


def terms_table(grouped: list[tuple[str | None, list[object]]]) -> str:
    """A row per outlet with its terms as chips (no outlet column for a flat list)."""
    if all(outlet is None for outlet, _ in grouped):
        return "<p>" + "".join(term_chip(t) for _, terms in grouped for t in terms) + "</p>"
    rows = "".join(
        f"<tr><td>{badges([outlet]) if outlet else ''}</td>"
        f"<td>{''.join(term_chip(t) for t in terms)}</td></tr>"
        for outlet, terms in grouped
    )
    return f"<table><thead><tr><th>المنفذ</th><th>المصطلحات</th></tr></thead><tbody>{rows}</tbody></table>"


def term_chip(term: object) -> str:
    """One term, with its score or count when it has one."""
    score: object = None
    if (
        isinstance(term, tuple | list)
        and len(term) == 2
        and (term[1] is None or isinstance(term[1], int | float))
    ):
        term, score = term
    elif isinstance(term, Mapping):
        score = pick(term, "score", "weight", "count", "lift", "ratio")
        term = pick(term, "term", "text", "word", "label", "stem", "display")
    extra = f" <small>{text(number(score))}</small>" if isinstance(score, int | float) else ""
    return f'<span class="chip"><bdi>{text(term)}</bdi>{extra}</span>'


def claims_list(claims: list[object]) -> str:
    """Claims with their speaker (if any) and the outlets that carried them."""
    items = []
    for claim in claims:
        if not isinstance(claim, Mapping):
            items.append(f"<li>{render_value(claim)}</li>")
            continue
        what = pick(claim, "text", "claim", "statement", "quote", "summary")
        if what is None:
            items.append(f"<li>{render_value(claim)}</li>")
            continue
        speaker = pick(claim, "speaker", "by", "attributed_to")
        who = f"<strong><bdi>{text(speaker)}</bdi></strong>: " if speaker else ""
        outlets = pick(claim, "outlets", "sources", "outlet", "source")
        items.append(f"<li>{who}<bdi>{text(what)}</bdi>{badges(as_list(outlets))}</li>")
    return f'<ol class="summary">{"".join(items)}</ol>'


def disagreement_lists(found: Mapping[str, Any]) -> str:
    """Numbers and statements that disagree (``analyze_story``'s shape): each side with its
    wording, who said it and the outlet that carried it."""
    parts = []
    titles = (("numbers", "أرقام مختلفة للكمية نفسها"), ("statements", "تصريحات متناقضة"))
    for key, title in titles:
        items = [item for item in as_list(found.get(key)) if isinstance(item, Mapping)]
        if not items:
            continue
        blocks = []
        for item in items:
            topic = pick(item, "quantity", "speaker")
            sides = []
            for report in as_list(item.get("reports")):
                if not isinstance(report, Mapping):
                    continue
                said = " ".join(
                    str(part) for part in (report.get("qualifier"), report.get("text")) if part
                )
                speaker = report.get("speaker")
                who = f" <small>({text(speaker)})</small>" if speaker and key == "numbers" else ""
                sentence = report.get("sentence") if key == "numbers" else None
                context = (
                    f"<div><small><bdi>{text(sentence)}</bdi></small></div>" if sentence else ""
                )
                sides.append(
                    f"<li><strong><bdi>{text(said)}</bdi></strong>{who}"
                    f"{badges([report.get('outlet')])}{context}</li>"
                )
            head = f"<strong><bdi>{text(topic)}</bdi></strong>" if topic else ""
            blocks.append(f'<div class="disagreement">{head}<ul>{"".join(sides)}</ul></div>')
        parts.append(f"<p><strong>{title}</strong></p>{''.join(blocks)}")
    return "".join(parts)


def disagreement(item: object) -> str:
    """One point of disagreement: what it is about, then each version and its outlets."""
    if not isinstance(item, Mapping):
        return f'<div class="disagreement">{render_value(item)}</div>'
    topic = pick(
        item, "topic", "what", "about", "subject", "quantity", "speaker", "kind", "field", "label"
    )
    versions = pick(item, "values", "versions", "positions", "variants", "sides", "claims")
    if versions is None and "a" in item and "b" in item:
        versions = [item["a"], item["b"]]
    if not isinstance(versions, list | Mapping):
        return f'<div class="disagreement">{render_value(item)}</div>'
    if isinstance(versions, Mapping):
        versions = [{"value": v, "outlets": o} for v, o in versions.items()]
    lines = []
    for version in versions:
        if isinstance(version, Mapping):
            value = pick(version, "value", "sentence", "text", "claim", "number", "version")
            outlets = pick(version, "outlets", "sources", "outlet", "source")
            lines.append(f"<li><bdi>{text(value)}</bdi>{badges(as_list(outlets))}</li>")
        else:
            lines.append(f"<li>{render_value(version)}</li>")
    head = f"<strong><bdi>{text(topic)}</bdi></strong>" if topic is not None else ""
    return f'<div class="disagreement">{head}<ul>{"".join(lines)}</ul></div>'


# -- generic pieces -----------------------------------------------------------------------


def render_value(value: object, depth: int = 0) -> str:
    """Render any JSON-like value as escaped HTML: chips, tables or definition lists."""
    if depth > MAX_DEPTH:
        return "…"
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "نعم" if value else "لا"
    if isinstance(value, int | float):
        return text(number(value))
    if isinstance(value, str):
        return time_tag(value) if parse_time(value) else f"<bdi>{text(value)}</bdi>"
    if isinstance(value, Mapping):
        if value and all(isinstance(v, Mapping) for v in value.values()):
            # {outlet: {field: ...}}: a table with the key as first column.
            return records_table([{"": key, **v} for key, v in value.items()], depth)
        rows = "".join(
            f"<dt>{text(LABELS.get(str(k), k))}</dt><dd>{_outlet_or_value(k, v, depth)}</dd>"
            for k, v in value.items()
        )
        return f"<dl>{rows}</dl>"
    if isinstance(value, list | tuple):
        if all(isinstance(v, Mapping) for v in value) and value:
            return records_table(list(value), depth)
        if all(not isinstance(v, Mapping | list | tuple) for v in value):
            return "".join(term_chip(v) for v in value)
        return "<ul>" + "".join(f"<li>{render_value(v, depth + 1)}</li>" for v in value) + "</ul>"
    return text(value)


def _outlet_or_value(key: object, value: object, depth: int) -> str:
    """An outlet field by its profile's name; anything else as :func:`render_value`."""
    if key in ("outlet", "source") and isinstance(value, str):
        return f"<bdi>{text(outlet_name(value))}</bdi>"
    return render_value(value, depth + 1)


def records_table(records: list[Mapping[str, Any]], depth: int) -> str:
    """A table whose columns are the records' keys in order of first appearance."""
    columns: list[str] = []
    for record in records:
        columns += [str(k) for k in record if str(k) not in columns]
    columns = columns[:MAX_COLUMNS]
    outlet_columns = {"", "outlet", "source", "outlets", "sources"}
    head = "".join(f"<th>{text(LABELS.get(c, c))}</th>" for c in columns)
    rows = []
    for record in records:
        cells = []
        for column in columns:
            cell = record.get(column)
            if column in outlet_columns and cell is not None and not isinstance(cell, Mapping):
                cells.append(f"<td>{badges(as_list(cell))}</td>")
            else:
                cells.append(f"<td>{render_value(cell, depth + 1)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def badges(outlets: Iterable[object]) -> str:
    """Coloured outlet name badges; the colour is a stable function of the name."""
    names = [str(o) for o in outlets if o is not None and str(o)]
    if not names:
        return ""
    return (
        '<span class="badges">'
        + "".join(
            f'<span class="badge" style="background:{colour(name)}"><bdi>{text(outlet_name(name))}</bdi></span>'
            for name in names
        )
        + "</span>"
    )


def colour(outlet: str) -> str:
    """The outlet's badge colour: a hue from a stable hash of its name."""
    digest = hashlib.blake2b(outlet.encode("utf-8"), digest_size=2).digest()
    hue = int.from_bytes(digest, "big") % 360
    return f"hsl({hue},{BADGE_SATURATION}%,{BADGE_LIGHTNESS}%)"


def time_tag(value: object) -> str:
    """A ``<time>`` element showing an ISO time as "YYYY-MM-DD HH:MM" (text as is otherwise)."""
    when = parse_time(value)
    if when is None:
        return f"<bdi>{text(value)}</bdi>" if value else ""
    shown = (
        when.strftime("%Y-%m-%d %H:%M") if (when.hour or when.minute) else when.strftime("%Y-%m-%d")
    )
    return f'<time datetime="{text(when.isoformat())}" dir="ltr">{shown}</time> '


def link(title: object, url: object) -> str:
    """The title, linked when the URL is plain http(s); other schemes are dropped."""
    label = f"<bdi>{text(title)}</bdi>"
    if not isinstance(url, str):
        return label
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return label
    return f'<a href="{text(url.strip())}" rel="noopener noreferrer nofollow">{label}</a>'


def pick(record: Mapping[str, Any], *keys: str) -> Any:
    """The value of the first key present and not None."""
    for key in keys:
        if record.get(key) is not None:
            return record[key]
    return None


def as_list(value: object) -> list[object]:
    """A list as is, a single value as a one-item list, None as an empty list."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def number(value: int | float) -> str:
    """Integers as is, other numbers with at most two decimals."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}"
