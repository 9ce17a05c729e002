from django.urls import path

from articles.web import views

urlpatterns = [
    path("articles/add/urls/", views.article_add_urls, name="article_add_urls"),
]
