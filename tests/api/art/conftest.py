from tests.art.conftest import (  # noqa: F401 - the portfolio's people and projects
    _isolated_storage,
    artist,
    blocked,
    blocker,
    follower,
    make_project,
    stranger,
)
