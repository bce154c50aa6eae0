"""Server-rendered web UI (Arabic, right-to-left) over the same views as the JSON API."""
