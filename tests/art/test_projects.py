"""Services and selectors of projects: validation, visibility, ordering, covers, pins, access."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404

from impasto.art import selectors, services
from impasto.art.models import Project, ProjectImage
from impasto.imaging.models import MediaAsset
from impasto.imaging.selectors import asset_visible_to
from impasto.social.models import Tag
from impasto.social.selectors.relations import viewer_for
from impasto.social.visibility import Visibility
from tests.factories import MediaAssetFactory

pytestmark = pytest.mark.django_db


def test_create_needs_the_no_ai_declaration_and_a_title(artist):
    with pytest.raises(ValidationError) as error:
        services.project_create(owner=artist, title="Study", no_ai_declared=False)
    assert error.value.code == "ai_declaration_required"
    with pytest.raises(ValidationError):
        services.project_create(owner=artist, title="   ", no_ai_declared=True)
    assert not Project.objects.exists()


def test_choices_are_checked_against_the_lists(artist):
    project = services.project_create(
        owner=artist,
        title="Study",
        no_ai_declared=True,
        fields=["illustration"],
        mediums=["oil", "ink", "oil"],
        software=["krita"],
    )
    project.refresh_from_db()
    assert project.mediums == ["oil", "ink"]
    assert project.fields == ["illustration"]
    with pytest.raises(ValidationError):
        services.project_create(
            owner=artist, title="x", no_ai_declared=True, mediums=["midjourney"]
        )


def test_description_is_rendered_and_sanitized(artist):
    project = services.project_create(
        owner=artist,
        title="Study",
        no_ai_declared=True,
        description="**bold** <script>alert(1)</script> [x](javascript:alert(1))",
    )
    assert "<strong>bold</strong>" in project.description_html
    assert "<script" not in project.description_html
    assert 'href="javascript' not in project.description_html


def test_tags_reuse_social_tags_folded(artist):
    Tag.objects.create(name="cafe", display_name="Café")
    project = services.project_create(
        owner=artist, title="Study", no_ai_declared=True, tags=["#CAFE", "café", "night_sky"]
    )
    names = [pt.tag.name for pt in project.project_tags.order_by("position")]
    assert names == ["cafe", "night_sky"]
    assert Tag.objects.filter(name="cafe").count() == 1
    with pytest.raises(ValidationError):
        services.project_create(owner=artist, title="x", no_ai_declared=True, tags=["<b>"])


def test_publishing_needs_an_image(artist, make_project):
    project = make_project(artist, visibility=Visibility.DRAFT, images=0)
    with pytest.raises(ValidationError) as error:
        services.project_visibility_set(
            user=artist, project_id=project.pk, visibility=Visibility.PUBLIC
        )
    assert error.value.code == "no_images"
    with pytest.raises(ValidationError):
        services.project_create(
            owner=artist, title="x", no_ai_declared=True, visibility=Visibility.PUBLIC
        )


def test_publishing_stamps_published_at_once(artist, make_project):
    project = make_project(artist, visibility=Visibility.PUBLIC)
    first = project.published_at
    assert first is not None
    services.project_visibility_set(user=artist, project_id=project.pk, visibility="draft")
    services.project_visibility_set(user=artist, project_id=project.pk, visibility="public")
    project.refresh_from_db()
    assert project.published_at == first


VIEWERS = ["anonymous", "owner", "follower", "stranger", "blocked", "blocker"]
EXPECTED = {
    Visibility.PUBLIC: {"anonymous", "owner", "follower", "stranger"},
    Visibility.UNLISTED: {"anonymous", "owner", "follower", "stranger"},
    Visibility.FOLLOWERS: {"owner", "follower"},
    Visibility.DRAFT: {"owner"},
}


@pytest.fixture
def people(artist, follower, stranger, blocked, blocker):
    return {
        "anonymous": None,
        "owner": artist,
        "follower": follower,
        "stranger": stranger,
        "blocked": blocked,
        "blocker": blocker,
    }


@pytest.mark.parametrize("visibility", list(EXPECTED))
def test_who_may_open_a_project(people, artist, make_project, visibility):
    project = make_project(artist, visibility=visibility)
    for name, person in people.items():
        viewer = viewer_for(person)
        if name in EXPECTED[visibility]:
            assert selectors.project_for_viewer(viewer, project.pk).pk == project.pk, name
        else:
            with pytest.raises(Http404):
                selectors.project_for_viewer(viewer, project.pk)


@pytest.mark.parametrize("visibility", list(EXPECTED))
def test_project_images_are_visible_exactly_when_the_project_is(
    people, artist, make_project, visibility
):
    project = make_project(artist, visibility=visibility)
    asset = project.images.get().asset
    for name, person in people.items():
        visible = asset_visible_to(asset=asset, viewer=person or AnonymousUser())
        assert visible is (name in EXPECTED[visibility]), name


def test_a_deleted_project_and_its_images_are_gone_for_everyone_but_the_owner_files(
    artist, stranger, make_project
):
    project = make_project(artist)
    asset = project.images.get().asset
    services.project_delete(user=artist, project_id=project.pk)
    for person in (artist, stranger, None):
        with pytest.raises(Http404):
            selectors.project_for_viewer(viewer_for(person), project.pk)
    assert not asset_visible_to(asset=asset, viewer=stranger)
    assert not asset_visible_to(asset=asset, viewer=AnonymousUser())


def test_an_asset_in_no_project_is_not_claimed_and_stays_its_owners(artist, stranger):
    # art abstains; imaging hides an artwork no container claims (docs/imaging.md).
    asset = MediaAssetFactory.create(owner=artist)
    assert selectors.project_asset_visible(asset.pk, stranger) is None
    assert not asset_visible_to(asset=asset, viewer=stranger)
    assert asset_visible_to(asset=asset, viewer=artist)


def test_someone_elses_project_cannot_be_edited(artist, stranger, make_project):
    project = make_project(artist)
    with pytest.raises(Http404):
        services.project_update(
            user=stranger,
            project_id=project.pk,
            title="Mine now",
            no_ai_declared=True,
            visibility="public",
        )
    with pytest.raises(Http404):
        services.project_delete(user=stranger, project_id=project.pk)
    with pytest.raises(Http404):
        selectors.project_for_owner(stranger, project.pk)


def test_someone_elses_asset_cannot_be_attached(artist, stranger, make_project):
    project = make_project(artist, visibility=Visibility.DRAFT, images=0)
    theirs = MediaAssetFactory.create(owner=stranger)
    with pytest.raises(ValidationError):
        services.project_image_attach(
            user=artist, project_id=project.pk, asset_id=theirs.pk, alt_text="Not mine"
        )
    failed = MediaAssetFactory.create(owner=artist, status=MediaAsset.Status.FAILED)
    with pytest.raises(ValidationError):
        services.project_image_attach(
            user=artist, project_id=project.pk, asset_id=failed.pk, alt_text="Broken"
        )


def test_alt_text_is_required(artist, make_project):
    project = make_project(artist, visibility=Visibility.DRAFT, images=0)
    asset = MediaAssetFactory.create(owner=artist)
    with pytest.raises(ValidationError) as error:
        services.project_image_attach(
            user=artist, project_id=project.pk, asset_id=asset.pk, alt_text="  "
        )
    assert error.value.code == "alt_required"


def _order(project: Project) -> list[int]:
    return list(project.images.order_by("position", "id").values_list("pk", flat=True))


def test_reorder_move_and_cover(artist, make_project):
    project = make_project(artist, images=3)
    a, b, c = _order(project)
    assert project.cover_id == a
    services.project_images_reorder(user=artist, project_id=project.pk, image_ids=[c, a, b])
    assert _order(project) == [c, a, b]
    services.project_image_move(user=artist, project_id=project.pk, image_id=b, offset=-1)
    assert _order(project) == [c, b, a]
    services.project_image_move(user=artist, project_id=project.pk, image_id=c, offset=-1)
    assert _order(project) == [c, b, a]  # already first
    with pytest.raises(ValidationError):
        services.project_images_reorder(user=artist, project_id=project.pk, image_ids=[c, b])
    with pytest.raises(ValidationError):
        services.project_images_reorder(user=artist, project_id=project.pk, image_ids=[c, c, a])
    services.project_cover_set(user=artist, project_id=project.pk, image_id=b)
    services.project_image_remove(user=artist, project_id=project.pk, image_id=b)
    project.refresh_from_db()
    assert project.cover_id == c  # the first remaining image


def test_a_published_project_keeps_its_last_image(artist, make_project):
    project = make_project(artist, images=1)
    image = project.images.get()
    with pytest.raises(ValidationError):
        services.project_image_remove(user=artist, project_id=project.pk, image_id=image.pk)
    assert ProjectImage.objects.filter(pk=image.pk).exists()


def test_portfolio_pinned_first_drafts_for_owner_only(artist, stranger, make_project):
    old = make_project(artist, title="Old")
    make_project(artist, title="New")
    draft = make_project(artist, title="Draft", visibility=Visibility.DRAFT)
    services.project_pin(user=artist, project_id=old.pk, pinned=True)
    own = selectors.portfolio_of(viewer_for(artist), artist)
    assert [p.title for p in own.projects] == ["Old", "Draft", "New"]
    theirs = selectors.portfolio_of(viewer_for(stranger), artist)
    assert [p.title for p in theirs.projects] == ["Old", "New"]
    assert draft.pk not in {p.pk for p in theirs.projects}


def test_portfolio_is_404_across_a_block(artist, blocked, blocker, make_project):
    make_project(artist)
    for person in (blocked, blocker):
        with pytest.raises(Http404):
            selectors.portfolio_of(viewer_for(person), artist)


def test_portfolio_pages_by_keyset(artist, make_project):
    for n in range(5):
        make_project(artist, title=f"P{n}")
    viewer = viewer_for(None)
    first = selectors.portfolio_of(viewer, artist, limit=2)
    assert [p.title for p in first.projects] == ["P4", "P3"]
    second = selectors.portfolio_of(viewer, artist, before=first.page.next_cursor, limit=2)
    assert [p.title for p in second.projects] == ["P2", "P1"]


def test_pins_are_capped(artist, make_project):
    projects = [make_project(artist, title=f"P{n}") for n in range(7)]
    for project in projects[:6]:
        services.project_pin(user=artist, project_id=project.pk, pinned=True)
    with pytest.raises(ValidationError):
        services.project_pin(user=artist, project_id=projects[6].pk, pinned=True)


def test_an_inactive_owner_hides_everything(artist, stranger, make_project):
    project = make_project(artist)
    artist.is_active = False
    artist.save()
    with pytest.raises(Http404):
        selectors.project_for_viewer(viewer_for(stranger), project.pk)
