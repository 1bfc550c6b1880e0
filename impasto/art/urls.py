from django.urls import path

from impasto.art import views

app_name = "art"

urlpatterns = [
    path("@<str:handle>/projects/<int:project_id>", views.project_detail, name="project-detail"),
    path("projects/new", views.project_create, name="project-create"),
    path("projects/<int:project_id>/edit", views.project_edit, name="project-edit"),
    path("projects/<int:project_id>/cloak", views.project_cloak, name="project-cloak"),
    path("projects/<int:project_id>/delete", views.project_delete, name="project-delete"),
    path("projects/<int:project_id>/pin", views.project_pin, name="project-pin"),
    path("projects/<int:project_id>/images", views.image_list, name="image-list"),
    path("projects/<int:project_id>/images/new", views.image_upload, name="image-upload"),
    path("projects/<int:project_id>/images/order", views.image_order, name="image-order"),
    path(
        "projects/<int:project_id>/images/<int:image_id>",
        views.image_update,
        name="image-update",
    ),
    path(
        "projects/<int:project_id>/images/<int:image_id>/move", views.image_move, name="image-move"
    ),
    path(
        "projects/<int:project_id>/images/<int:image_id>/cover",
        views.image_cover,
        name="image-cover",
    ),
    path(
        "projects/<int:project_id>/images/<int:image_id>/remove",
        views.image_remove,
        name="image-remove",
    ),
    path("portfolio/layout", views.layout_update, name="layout"),
    path("projects/<int:project_id>/like", views.project_like, name="project-like"),
    path("projects/<int:project_id>/comments", views.comment_create, name="comment-create"),
    path("comments/<int:comment_id>/delete", views.comment_delete, name="comment-delete"),
    path("projects/<int:project_id>/share", views.project_share, name="project-share"),
    path("projects/<int:project_id>/albums", views.project_albums, name="project-albums"),
    path("@<str:handle>/albums/<int:album_id>", views.album_detail, name="album-detail"),
    path("albums/new", views.album_create, name="album-create"),
    path("albums/<int:album_id>/edit", views.album_edit, name="album-edit"),
    path("albums/<int:album_id>/delete", views.album_delete, name="album-delete"),
    path("albums/<int:album_id>/move", views.album_move, name="album-move"),
    path("albums/<int:album_id>/projects", views.album_project_add, name="album-project-add"),
    path(
        "albums/<int:album_id>/projects/<int:project_id>",
        views.album_project_action,
        name="album-project-action",
    ),
]
