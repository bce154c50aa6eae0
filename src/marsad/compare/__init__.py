"""Comparing outlets within a story: coverage, claims, framing, disagreements, timeline.

Entry point: :func:`marsad.compare.analyze.analyze_story`.
"""
