from django.urls import path

from articles.analytics import views

urlpatterns = [
    path("analytics/", views.overview, name="analytics_overview"),
    path("analytics/sourcing/", views.sourcing, name="analytics_sourcing"),
    path("analytics/voices/", views.voices, name="analytics_voices"),
    path("analytics/tone/", views.tone, name="analytics_tone"),
    path("analytics/time/", views.over_time, name="analytics_time"),
    path("analytics/<slug:view>/<slug:table>.csv", views.table_csv, name="analytics_csv"),
    path("articles/<id:pk>/figures/", views.article_figures, name="article_figures"),
]
