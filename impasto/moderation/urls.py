from django.urls import path

from impasto.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("cases/<int:case_id>", views.case_detail, name="case"),
    path("cases/<int:case_id>/decide", views.case_decide, name="case-decide"),
    path("cases/<int:case_id>/restore", views.case_restore, name="case-restore"),
    path("cases/<int:case_id>/appeal/decide", views.appeal_decide, name="appeal-decide"),
    path("works/<int:asset_id>", views.asset_case, name="asset"),
    path("yours/<int:case_id>", views.case_yours, name="yours"),
    path("yours/<int:case_id>/review", views.case_review, name="yours-review"),
    path("yours/<int:case_id>/withdraw", views.case_withdraw, name="yours-withdraw"),
    path("yours/<int:case_id>/appeal", views.appeal_create, name="yours-appeal"),
    path("standing", views.standing, name="standing"),
    path("standing/<int:case_id>/appeal", views.standing_appeal, name="standing-appeal"),
    path("notices", views.notices, name="notices"),
    path("report/<str:target_type>/<int:target_id>", views.report, name="report"),
]
