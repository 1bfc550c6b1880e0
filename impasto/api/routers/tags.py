"""Hashtag pages: /api/v1/tags/{name}/posts."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import P, PathEx, Query, Router

from impasto.api.auth import PUBLIC, PUBLIC_OPENAPI
from impasto.api.errors import error_responses
from impasto.api.schemas.posts import PostOut, post_out
from impasto.api.schemas.social import SocialPage, SocialPageParams
from impasto.api.social import page_out, viewer_of
from impasto.social.selectors.posts import posts_by_tag
from impasto.social.text import TAG_RE

router = Router(tags=["tags"])


@router.get(
    "/{name}/posts",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: SocialPage[PostOut], **error_responses(401, 404, 422)},
    summary="Posts with a hashtag",
)
def tag_posts_list(
    request: HttpRequest,
    name: PathEx[str, P(description="The tag, without #; any case and accents.", example="ink")],
    params: Query[SocialPageParams],
) -> dict[str, Any]:
    """Public posts carrying the tag, newest first (`#Café`, `#cafe` and `#CAFE` are one tag).

    Unlisted and followers-only posts never show here. A name that cannot be a tag is a 404;
    a tag nobody used yet is an empty page.
    """
    tag = name.removeprefix("#")
    if not TAG_RE.fullmatch(tag) or not any(char.isalpha() for char in tag):
        raise Http404("No such tag.")
    viewer = viewer_of(request)
    page = posts_by_tag(viewer, tag, before=params.before, limit=params.limit)
    return page_out(page, lambda view: post_out(view, viewer))
