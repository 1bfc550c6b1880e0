from django.urls import path

from impasto.protection.cloaking import views

app_name = "cloaking"

urlpatterns = [
    path("cloak/works/<int:work_id>/", views.work_panel, name="work-panel"),
    path("cloak/works/<int:work_id>/status", views.work_status, name="work-status"),
]
