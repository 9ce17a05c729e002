from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from articles.accounts.forms import LoginForm
from articles.exchange import views as exchange_views
from articles.guards.values import IdPathConverter
from articles.ingest import views as ingest_views
from articles.search import views as search_views
from articles.spans import views as span_views

# Before the included URL modules use it.
register_converter(IdPathConverter, "id")

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", search_views.article_list, name="article_list"),
    path("articles/add/", ingest_views.article_add, name="article_add"),
    path("articles/<id:pk>/", span_views.article_detail, name="article_detail"),
    path("articles/<id:pk>/annotations/", span_views.annotation_create, name="annotation_create"),
    path(
        "articles/<id:pk>/annotations/<id:annotation_pk>/edit/",
        span_views.annotation_edit,
        name="annotation_edit",
    ),
    path(
        "articles/<id:pk>/annotations/<id:annotation_pk>/",
        span_views.annotation_update,
        name="annotation_update",
    ),
    path(
        "articles/<id:pk>/annotations/<id:annotation_pk>/delete/",
        span_views.annotation_delete,
        name="annotation_delete",
    ),
    path(
        "articles/<id:pk>/annotations/<id:annotation_pk>/restore/",
        span_views.annotation_restore,
        name="annotation_restore",
    ),
    path("annotations/export/", exchange_views.annotations_export, name="annotations_export"),
    path("articles/<id:pk>/export/", exchange_views.article_export, name="article_export"),
    path("annotations/import/", exchange_views.annotations_import, name="annotations_import"),
    path("", include("articles.web.urls")),
    path("", include("articles.jobs.urls")),
    path("coding/", include("articles.coding.urls")),
    path("", include("articles.analytics.urls")),
    path("", include("articles.accounts.urls")),
    path("", include("articles.sources.urls")),
]
