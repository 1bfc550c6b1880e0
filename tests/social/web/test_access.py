"""Every social page and action, for every kind of reader (tests/social/web/matrix.py)."""

from __future__ import annotations

import pytest

from tests.social.web.matrix import CASES, RouteCase, fill
from tests.social.web.world import ROLES, build_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_route_answers_each_reader_as_the_selectors_decide(case: RouteCase) -> None:
    world = build_world()
    url = case.url(world)
    got: dict[str, int] = {}
    for role in ROLES:
        client = world.client_for(role)
        headers = {"HX-Request": "true"} if case.htmx else {}
        if case.method == "POST":
            response = client.post(url, fill(case.data, world), headers=headers)
        else:
            response = client.get(url, headers=headers)
        got[role] = response.status_code
        if response.status_code == 302 and role == "anonymous":
            assert response["Location"].startswith("/accounts/login/"), (role, response["Location"])
    assert got == dict(case.expect)
