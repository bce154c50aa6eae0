"""Self-contained HTML reports of stories: summaries with outlet credits, coverage, analysis.

:func:`render_report` turns :func:`marsad.views.story_view` dicts into one right-to-left
Arabic page with inline CSS and SVG, no script and no external request.
"""

from marsad.report.html import render_report

__all__ = ["render_report"]
