"""``/api/views``: saved network views, by name (see :mod:`api.view_book`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status

from api.deps import CurrentUser, SettingsDep
from api.models import ErrorOut, ViewIn, ViewOut, ViewsPublic, ViewSummary
from api.routes.graph import LANG, Lang
from api.routes.queries import ERRORS
from api.view_book import MAX_NAME, SavedView, ViewBook
from graph_model.settings import Settings

router = APIRouter(prefix="/api/views", tags=["views"])
Name = Annotated[str, Path(min_length=1, max_length=MAX_NAME, description="1–80 characters, no /")]
OWNER_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorOut, "description": "someone else's view (admins may)"}
}


def book(settings: Settings) -> ViewBook:
    return ViewBook(settings.views_file())


def out(view: SavedView) -> ViewOut:
    return ViewOut(
        name=view.name, owner=view.owner, updated_at=view.updated_at, state=view.state or {}
    )


@router.get("", response_model=ViewsPublic, summary="Saved views: name, owner, when saved")
def list_views(user: CurrentUser, settings: SettingsDep) -> ViewsPublic:
    views = [
        ViewSummary(name=v.name, owner=v.owner, updated_at=v.updated_at)
        for v in book(settings).list()
    ]
    return ViewsPublic(data=views, count=len(views))


@router.get("/{name}", response_model=ViewOut, responses=ERRORS, summary="A saved view")
def show_view(name: Name, user: CurrentUser, settings: SettingsDep, lang: Lang = LANG) -> ViewOut:
    return out(book(settings).get(name, lang))


@router.put(
    "/{name}",
    response_model=ViewOut,
    responses={
        **ERRORS,
        **OWNER_ONLY,
        413: {"model": ErrorOut, "description": "a state over 256 KB"},
    },
    summary="Save a view (a new one is yours; replacing someone else's needs an admin)",
)
def put_view(
    name: Name, body: ViewIn, user: CurrentUser, settings: SettingsDep, lang: Lang = LANG
) -> ViewOut:
    admin = user.role == "admin"
    return out(book(settings).put(name, body.state, user.name, admin, lang))


@router.delete(
    "/{name}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={**ERRORS, **OWNER_ONLY},
    summary="Delete a view (its owner or an admin)",
)
def delete_view(
    name: Name, user: CurrentUser, settings: SettingsDep, lang: Lang = LANG
) -> Response:
    book(settings).delete(name, user.name, user.role == "admin", lang)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
