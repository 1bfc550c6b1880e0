from __future__ import annotations

from typing import TYPE_CHECKING, Any

import factory

from impasto.accounts.models import User
from impasto.accounts.services import user_create
from impasto.imaging.models import MediaAsset

if TYPE_CHECKING:
    from impasto.art.models import Project

PASSWORD = "correct horse battery staple"


class UserFactory(factory.Factory[User]):
    """Users made through the same service as sign-up, with a verified email by default."""

    class Meta:
        model = User

    handle = factory.Sequence(lambda n: f"artist{n}")
    email = factory.LazyAttribute(lambda o: f"{o.handle}@example.test")
    password = PASSWORD
    display_name = factory.Faker("name")
    email_verified = True
    is_staff = False

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return user_create(**kwargs)


class MediaAssetFactory(factory.django.DjangoModelFactory[MediaAsset]):
    """A bare asset row (no stored bytes, no variants): for access and listing rules.

    Tests of what an upload produces go through the real pipeline (tests/imaging)."""

    class Meta:
        model = MediaAsset

    owner = factory.SubFactory(UserFactory)
    status = MediaAsset.Status.READY
    original_key = factory.Sequence(lambda n: f"test/original-{n}")
    original_sha256 = factory.Sequence(lambda n: f"{n:064x}")
    original_bytes = 1024
    source_format = "jpeg"
    width = 1200
    height = 800


def publish_artwork(asset: MediaAsset) -> Project:
    """Put ``asset`` (an artwork) in a new public project of its owner's, so that everyone may
    see it: an artwork no project contains is its owner's only (docs/imaging.md, "Access
    hook")."""
    from django.utils import timezone

    from impasto.art.models import Project, ProjectImage
    from impasto.social.visibility import Visibility

    project = Project.objects.create(
        owner=asset.owner,
        title="A published work",
        visibility=Visibility.PUBLIC,
        published_at=timezone.now(),
    )
    ProjectImage.objects.create(project=project, asset=asset, alt_text="A study in ink")
    return project
