"""The report's inline stylesheet: right-to-left layout, system Arabic fonts, print-friendly."""

FONT_STACK = (
    '"Noto Naskh Arabic", "Noto Sans Arabic", "Geeza Pro", "Segoe UI", "Tahoma", '
    '"Arial", sans-serif'
)

#: Badge colours: a hue per outlet (a stable hash of its name) at a saturation and lightness
#: that keep white text readable; the same outlet has the same colour in every report.
BADGE_SATURATION = 55
BADGE_LIGHTNESS = 36

CSS = f"""
* {{ box-sizing: border-box; }}
html {{ font-family: {FONT_STACK}; font-size: 17px; line-height: 1.75; color: #1f2a37;
  background: #f6f7f9; }}
body {{ margin: 0 auto; max-width: 1080px; padding: 24px 28px 64px; }}
h1, h2, h3 {{ line-height: 1.4; margin: 0 0 .4em; }}
h1 {{ font-size: 1.9rem; }}
h2 {{ font-size: 1.45rem; }}
h3 {{ font-size: 1.05rem; color: #33475b; margin-top: 1.4em; border-bottom: 1px solid #dde3ea;
  padding-bottom: .2em; }}
a {{ color: #1d5f8f; }}
header.report {{ border-bottom: 3px solid #1d6fa5; margin-bottom: 24px; padding-bottom: 8px; }}
.muted {{ color: #5b6b7b; font-size: .9rem; }}
nav.toc ol {{ margin: 0; padding-inline-start: 1.4em; }}
article.story {{ background: #fff; border: 1px solid #dde3ea; border-radius: 10px;
  padding: 20px 24px; margin: 0 0 28px; box-shadow: 0 1px 2px rgba(0,0,0,.04); }}
.meta {{ display: flex; flex-wrap: wrap; gap: 6px 16px; color: #5b6b7b; font-size: .9rem;
  margin-bottom: 8px; }}
.flag {{ background: #c0392b; color: #fff; border-radius: 4px; padding: 0 8px;
  font-weight: bold; }}
ol.summary {{ padding-inline-start: 1.3em; margin: 0; }}
ol.summary li {{ margin-bottom: .55em; }}
.badges {{ display: inline-flex; flex-wrap: wrap; gap: 4px; margin-inline-start: 6px;
  vertical-align: middle; }}
.badge {{ display: inline-block; color: #fff; border-radius: 999px; padding: 0 9px;
  font-size: .72rem; line-height: 1.7; white-space: nowrap; }}
.chip {{ display: inline-block; background: #eef2f6; border: 1px solid #d5dde6;
  border-radius: 6px; padding: 0 7px; margin: 2px; font-size: .85rem; }}
.chip small {{ color: #6b7b8b; }}
table {{ border-collapse: collapse; width: 100%; font-size: .9rem; margin: 4px 0; }}
th, td {{ border-bottom: 1px solid #e3e8ee; padding: 5px 8px; text-align: start;
  vertical-align: top; }}
th {{ background: #f0f3f6; font-weight: 600; }}
td.num {{ font-variant-numeric: tabular-nums; }}
time {{ unicode-bidi: isolate; white-space: nowrap; }}
ol.timeline {{ list-style: none; padding: 0; margin: 0;
  border-inline-start: 3px solid #c9d6e3; }}
ol.timeline li {{ position: relative; padding: 2px 16px 8px 0; margin-inline-start: 0; }}
ol.timeline li::before {{ content: ""; position: absolute; inset-inline-start: -8px;
  top: 12px; width: 11px; height: 11px; border-radius: 50%; background: #1d6fa5; }}
ol.timeline time {{ color: #5b6b7b; font-size: .85rem; margin-inline-end: 8px; }}
figure {{ margin: 8px 0; overflow-x: auto; }}
figcaption {{ color: #5b6b7b; font-size: .85rem; }}
.disagreement {{ border-inline-start: 3px solid #d98c1f; padding-inline-start: 10px;
  margin: 6px 0 10px; }}
dl {{ margin: 0; }}
dt {{ font-weight: 600; }}
dd {{ margin: 0 0 4px; margin-inline-start: 1em; }}
.missing {{ color: #8a4b08; }}
@media print {{
  html {{ background: #fff; }}
  article.story {{ break-inside: avoid-page; box-shadow: none; }}
}}
"""
