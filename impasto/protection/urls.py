from django.urls import path

from impasto.protection import views

app_name = "protection"

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("ai.txt", views.ai_txt, name="ai_txt"),
    path(".well-known/tdmrep.json", views.tdmrep_json, name="tdmrep"),
    path("ai-policy/", views.ai_policy, name="ai_policy"),
]
