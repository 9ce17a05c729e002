from django.urls import path

from articles.sources import views

urlpatterns = [
    path("sources/", views.source_list, name="source_list"),
    path("sources/suggest/", views.source_suggest, name="source_suggest"),
    path("sources/<id:source_pk>/", views.source_detail, name="source_detail"),
    path("articles/<id:pk>/who/<id:annotation_pk>/", views.who, name="who"),
    path("articles/<id:pk>/who/<id:annotation_pk>/source/", views.source_identify, name="source_identify"),
    path("articles/<id:pk>/who/<id:annotation_pk>/tone/", views.tone_update, name="tone_update"),
    path("articles/<id:pk>/who/<id:annotation_pk>/own-voice/", views.own_voice, name="own_voice"),
    path(
        "articles/<id:pk>/who/<id:annotation_pk>/suggestion/",
        views.suggestion,
        name="attribution_suggestion",
    ),
    path("articles/<id:pk>/attributions/", views.attribution_create, name="attribution_create"),
    path(
        "articles/<id:pk>/attributions/<uuid:link_uuid>/",
        views.attribution_update,
        name="attribution_update",
    ),
    path(
        "articles/<id:pk>/attributions/<uuid:link_uuid>/delete/",
        views.attribution_delete,
        name="attribution_delete",
    ),
]
