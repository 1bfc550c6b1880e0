from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from impasto.accounts.models import User
from impasto.accounts.services import user_create
from impasto.demo.artwork import artwork
from impasto.social.models import Post
from impasto.social.services.graph import follow_create
from impasto.social.services.messages import message_reply, message_send
from impasto.social.services.posts import post_create, post_edit, repost_create
from impasto.social.services.reactions import post_like

DEMO_PASSWORD = "impasto-demo"  # noqa: S105 - published on purpose: it is the demo log-in

ARTISTS = [
    ("mira", "Mira Okafor", "Ink and watercolour, mostly birds and the people who feed them."),
    ("theo_lenoir", "Théo Lenoir", "Peintre à l'huile. Lumière du Nord, ports et marchés."),
    ("sana", "Sana Idris", "Concept art for games: environments, creatures, weather."),
    ("kwame3d", "Kwame Mensah", "3D sculpting and look-dev. Blender, ZBrush, too much coffee."),
    ("ines_pixel", "Inès Barros", "Pixel art, 16 colours at a time."),
]


class Command(BaseCommand):
    help = "Create demo artists with generated artwork (never downloaded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any account exists."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["if_empty"] and User.objects.exists()):
            self.create()
        if User.objects.filter(handle=ARTISTS[0][0]).exists():
            self.stdout.write(f"Demo log-in: {ARTISTS[0][0]} / {DEMO_PASSWORD}")

    @transaction.atomic
    def create(self) -> None:
        self.create_artists()
        self.create_social()

    def create_artists(self) -> None:
        for seed, (handle, name, bio) in enumerate(ARTISTS):
            if User.objects.filter(handle=handle).exists():
                continue
            user = user_create(
                handle=handle,
                email=f"{handle}@demo.impasto.local",
                password=DEMO_PASSWORD,
                display_name=name,
                email_verified=True,
            )
            profile = user.profile
            profile.bio = bio
            avatar = artwork(seed * 7 + 3, 256, 256).write_to_buffer(".webp", Q=82)
            profile.avatar.save(f"avatars/{handle}.webp", ContentFile(avatar), save=False)
            profile.save()

    def create_social(self) -> None:
        """The demo artists follow each other and talk: posts, replies, likes, a repost, a quote.

        Text only until images can be attached to posts. Skipped when they have posted before.
        """
        artists = {u.handle: u for u in User.objects.filter(handle__in=[a[0] for a in ARTISTS])}
        if len(artists) < len(ARTISTS) or Post.objects.filter(author__in=artists.values()).exists():
            return
        for follower in artists.values():
            for followee in artists.values():
                if follower != followee:
                    follow_create(follower=follower, followee=followee)
        mira, theo, sana, kwame, ines = (artists[a[0]] for a in ARTISTS)
        first = post_create(
            author=mira,
            body="Morning sketch: a **heron** in the reeds, ink and a little wash. #ink #birds",
        )
        reply = post_create(
            author=theo,
            body="La lumière sur l'eau est superbe. Quel papier ? #watercolour",
            reply_to_id=first.pk,
        )
        post_create(
            author=mira,
            body="@theo_lenoir Arches 300 g, cold press. It drinks the ink slowly.",
            reply_to_id=reply.pk,
        )
        storm = post_create(
            author=sana,
            body="Weather study for the swamp level: fog first, then the *rain* comes in. "
            "#conceptart #environment",
        )
        sculpt = post_create(
            author=kwame,
            body="Look-dev pass on the old fisherman bust. Subsurface is finally behaving. "
            "#3d #blender",
        )
        palette = post_create(
            author=ines,
            body="16 colours, one sunset. Which palette wins: warm or cool? #pixelart",
        )
        post_create(
            author=ines,
            body="This is how fog should feel. Saving it for reference.",
            quote_of_id=storm.pk,
        )
        for liker, post in [
            (theo, first),
            (sana, first),
            (kwame, first),
            (mira, storm),
            (ines, storm),
            (mira, sculpt),
            (sana, palette),
            (mira, reply),
        ]:
            post_like(user=liker, post_id=post.pk)
        repost_create(user=sana, post_id=first.pk)
        repost_create(user=mira, post_id=palette.pk)
        # What the social pages also show: a content warning, a link preview of one of our own
        # pages, an edit with its history, and a conversation.
        post_create(
            author=sana,
            body="Creature sheet for the swamp: the lurker, three angles, far too many teeth. "
            "#creaturedesign",
            content_warning="Teeth, mild body horror",
        )
        post_create(
            author=kwame,
            body="Studying how this heron reads at thumbnail size: "
            f"{settings.SITE_URL}/@mira/posts/{first.pk}",
        )
        post_edit(
            author=ines,
            post_id=palette.pk,
            body="16 colours, one sunset. Which palette wins: warm or cool? #pixelart\n\n"
            "Edit: cool wins, by a lot.",
        )
        hello = message_send(
            sender=theo,
            recipient=mira,
            body="Bonjour Mira ! Would you join a small show in Lille next spring? Birds and "
            "harbours, six artists.",
        )
        message_reply(
            sender=mira,
            conversation_id=hello.conversation_id,
            body="I would love to. Send me the dates and the wall size?",
        )
