"""Web pages of the analyst's desk: watchlists and their latest matches."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from marsad.alerts import views as alert_views
from marsad.service import MAX_ID, get_service
from marsad.web.pages import not_found, render

router = APIRouter(include_in_schema=False)
KIND_LABELS = {"search": "بحث محفوظ", "entity": "كيان", "outlet": "منفذ"}


@router.get("/alerts", response_class=HTMLResponse)
def alerts(request: Request) -> HTMLResponse:
    """Every watchlist, with its feed link, and a form that adds one (with the token)."""
    view = alert_views.watchlists_view(get_service(request).reader())
    return render(
        "alerts.html",
        section="alerts",
        view=view,
        kinds=KIND_LABELS,
        writable=get_service(request).writable,
    )


@router.get("/alerts/{watchlist_id}", response_class=HTMLResponse)
def alert(request: Request, watchlist_id: int) -> HTMLResponse:
    """One watchlist and its latest matches."""
    view = (
        alert_views.watchlist_view(get_service(request).reader(), watchlist_id)
        if 0 <= watchlist_id <= MAX_ID
        else None
    )
    if view is None:
        return not_found(f"قائمة المتابعة رقم {watchlist_id}")
    return render("alert.html", section="alerts", watchlist=view, kinds=KIND_LABELS)
