from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from impasto.accounts.models import User
from impasto.accounts.services import user_create
from impasto.art.models import Project
from impasto.art.services import (
    album_create,
    album_project_add,
    project_create,
    project_image_upload,
    project_pin,
    project_visibility_set,
)
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

_ALBUMS = ["Birds", "Ports du Nord", "Swamp world", "Sculpts", "Sunsets"]

# Two projects per artist, one or two images each: enough for every portfolio page, quick to
# process (1024 px sources make four widths).
PROJECTS: dict[str, list[dict[str, Any]]] = {
    "mira": [
        {
            "title": "Herons at dawn",
            "description": "Ink and **watercolour** on cotton paper, a morning by the reeds.",
            "fields": ["illustration", "traditional"],
            "mediums": ["ink", "watercolour"],
            "software": [],
            "tags": ["ink", "birds"],
            "alts": [
                "Soft warm discs of colour over a deep blue wash, like herons in mist",
                "A detail: brushy orange strokes across a pale ground",
            ],
        },
        {
            "title": "Feeding hour",
            "description": "Studies of the people who feed the pigeons at the station.",
            "fields": ["illustration"],
            "mediums": ["ink"],
            "software": [],
            "tags": ["sketchbook"],
            "alts": ["Loose strokes in rust and cream, figures gathered in a circle"],
        },
    ],
    "theo_lenoir": [
        {
            "title": "Le port, novembre",
            "description": "Huile sur toile, 60 x 80. The harbour in the last light.",
            "fields": ["fine-art"],
            "mediums": ["oil"],
            "software": [],
            "tags": ["harbour", "oil"],
            "alts": ["Dark teal water under a glowing coral sky, boats as soft shapes"],
        },
        {
            "title": "Marché couvert",
            "description": "Morning market, painted on the spot.",
            "fields": ["fine-art"],
            "mediums": ["oil"],
            "software": [],
            "tags": ["pleinair"],
            "alts": ["Warm yellows and greens in broad dabs, a busy market hall"],
        },
    ],
    "sana": [
        {
            "title": "Swamp biome",
            "description": "Environment keys for the swamp level: fog, roots, a lot of green.",
            "fields": ["concept-art", "environment-design"],
            "mediums": ["digital-painting"],
            "software": ["photoshop", "blender"],
            "tags": ["environment", "gamedev"],
            "alts": ["Misty greens and browns with bright spots of light through fog"],
        },
        {
            "title": "Weather studies",
            "description": "Storm fronts, painted fast.",
            "fields": ["concept-art"],
            "mediums": ["digital-painting"],
            "software": ["procreate"],
            "tags": ["weather"],
            "alts": ["Heavy violet clouds over a pale horizon, streaks of rain"],
        },
    ],
    "kwame3d": [
        {
            "title": "Old fisherman bust",
            "description": "Sculpted in ZBrush, look-dev and render in Blender.",
            "fields": ["3d", "character-design"],
            "mediums": ["3d-render"],
            "software": ["zbrush", "blender"],
            "tags": ["sculpt", "portrait"],
            "alts": ["Rounded warm forms on a dark ground, lit from one side like clay"],
        },
        {
            "title": "Material tests",
            "description": "Ceramic, brass, wet stone.",
            "fields": ["3d"],
            "mediums": ["3d-render"],
            "software": ["blender", "substance-painter"],
            "tags": ["lookdev"],
            "alts": ["Glossy discs of colour, some metallic, on a grey gradient"],
        },
    ],
    "ines_pixel": [
        {
            "title": "16-colour sunsets",
            "description": "One palette, six evenings.",
            "fields": ["pixel-art"],
            "mediums": ["pixel-art"],
            "software": ["aseprite"],
            "tags": ["pixelart", "sunset"],
            "alts": ["Bands of orange, pink and purple over a dark sea"],
        },
        {
            "title": "Tiny towns",
            "description": "Isometric villages, each fits on a stamp.",
            "fields": ["pixel-art", "game-art"],
            "mediums": ["pixel-art"],
            "software": ["aseprite"],
            "tags": ["isometric"],
            "alts": ["Clusters of bright shapes like rooftops seen from above"],
        },
    ],
}


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
        self.create_portfolios()

    def create_portfolios(self) -> None:
        """A few projects per artist, their images made by code and sent through the real
        upload pipeline (variants are made by the media worker, or at once in tests)."""
        if Project.objects.exists():
            return
        for seed, (handle, *_rest) in enumerate(ARTISTS):
            owner = User.objects.get(handle=handle)
            album = album_create(owner=owner, title=_ALBUMS[seed])
            for n, spec in enumerate(PROJECTS[handle]):
                project = project_create(
                    owner=owner,
                    title=spec["title"],
                    description=spec["description"],
                    fields=spec["fields"],
                    mediums=spec["mediums"],
                    software=spec["software"],
                    tags=spec["tags"],
                    no_ai_declared=True,
                )
                for i, alt in enumerate(spec["alts"]):
                    picture = artwork(1000 + seed * 31 + n * 7 + i, 1024, 768)
                    with tempfile.TemporaryDirectory() as scratch:
                        path = Path(scratch) / "work.jpg"
                        picture.write_to_file(str(path), Q=88)
                        project_image_upload(
                            user=owner, project_id=project.pk, path=path, alt_text=alt
                        )
                project_visibility_set(user=owner, project_id=project.pk, visibility="public")
                album_project_add(user=owner, album_id=album.pk, project_id=project.pk)
                if n == 0:
                    project_pin(user=owner, project_id=project.pk, pinned=True)

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
