"""Watchlists and alerts: saved searches, entity and outlet watches, Atom feeds of matches."""
