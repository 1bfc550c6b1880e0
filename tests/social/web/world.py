"""A small social world and the reader roles the web tests visit it as.

Kept apart from the tests so that a site-wide access matrix can build the same world and reuse
the cases of :mod:`tests.social.web.matrix`: ``build_world()`` needs only a database.

The artist (``owner``) posts publicly and for followers only, and has a conversation with her
follower. The readers:

- ``anonymous``: nobody signed in;
- ``owner``: the artist herself;
- ``follower``: follows her (accepted);
- ``stranger``: signed in, no relation;
- ``blocked``: the artist blocked them;
- ``blocking``: they blocked the artist;
- ``muted``: the artist muted them (it changes nothing they see);
- ``muting``: they follow the artist and muted her (her pages, reached by URL, still show).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.test import Client

from impasto.accounts.models import User
from impasto.social.models import Message, Post
from impasto.social.services.graph import block_create, follow_create, mute_create
from impasto.social.services.messages import message_send
from impasto.social.services.posts import post_create
from tests.factories import UserFactory

ROLES = ("anonymous", "owner", "follower", "stranger", "blocked", "blocking", "muted", "muting")


@dataclass
class World:
    artist: User
    readers: dict[str, User | None] = field(default_factory=dict)
    public_post: Post | None = None
    followers_post: Post | None = None
    reply: Post | None = None
    message: Message | None = None

    @property
    def public(self) -> Post:
        assert self.public_post is not None
        return self.public_post

    @property
    def private(self) -> Post:
        assert self.followers_post is not None
        return self.followers_post

    @property
    def conversation_id(self) -> int:
        assert self.message is not None
        return self.message.conversation_id

    def client_for(self, role: str) -> Client:
        client = Client()
        user = self.readers[role]
        if user is not None:
            client.force_login(user)
        return client


def build_world() -> World:
    artist = UserFactory.create(handle="mira", display_name="Mira Okafor")
    readers: dict[str, User | None] = {
        "anonymous": None,
        "owner": artist,
        "follower": UserFactory.create(handle="fan", display_name="Fan"),
        "stranger": UserFactory.create(handle="stranger", display_name="Stranger"),
        "blocked": UserFactory.create(handle="troll", display_name="Troll"),
        "blocking": UserFactory.create(handle="wary", display_name="Wary"),
        "muted": UserFactory.create(handle="noisy", display_name="Noisy"),
        "muting": UserFactory.create(handle="tired", display_name="Tired"),
    }

    def reader(role: str) -> User:
        user = readers[role]
        assert user is not None
        return user

    follow_create(follower=reader("follower"), followee=artist)
    follow_create(follower=reader("muting"), followee=artist)
    block_create(blocker=artist, blocked=reader("blocked"))
    block_create(blocker=reader("blocking"), blocked=artist)
    mute_create(muter=artist, muted=reader("muted"))
    mute_create(muter=reader("muting"), muted=artist)
    public_post = post_create(author=artist, body="A heron in the reeds. #ink")
    followers_post = post_create(
        author=artist, body="Sketchbook pages, for followers.", visibility="followers"
    )
    reply = post_create(author=reader("follower"), body="Lovely!", reply_to_id=public_post.pk)
    message = message_send(sender=reader("follower"), recipient=artist, body="Hello Mira")
    return World(
        artist=artist,
        readers=readers,
        public_post=public_post,
        followers_post=followers_post,
        reply=reply,
        message=message,
    )
