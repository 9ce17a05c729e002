from django.contrib.auth import views as auth_views
from django.urls import path

from articles.views import annotations, articles, exports

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", articles.article_list, name="article_list"),
    path("articles/add/", articles.article_add, name="article_add"),
    path("articles/<int:pk>/", articles.article_detail, name="article_detail"),
    path("articles/<int:pk>/annotations/", annotations.annotation_create, name="annotation_create"),
    path(
        "articles/<int:pk>/annotations/<int:annotation_pk>/edit/",
        annotations.annotation_edit,
        name="annotation_edit",
    ),
    path(
        "articles/<int:pk>/annotations/<int:annotation_pk>/",
        annotations.annotation_update,
        name="annotation_update",
    ),
    path(
        "articles/<int:pk>/annotations/<int:annotation_pk>/delete/",
        annotations.annotation_delete,
        name="annotation_delete",
    ),
    path(
        "articles/<int:pk>/annotations/<int:annotation_pk>/restore/",
        annotations.annotation_restore,
        name="annotation_restore",
    ),
    path("annotations/export/", exports.annotations_export, name="annotations_export"),
    path("articles/<int:pk>/export/", exports.article_export, name="article_export"),
    path("annotations/import/", exports.annotations_import, name="annotations_import"),
]
