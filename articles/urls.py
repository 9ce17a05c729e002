from django.contrib.auth import views as auth_views
from django.urls import path

from articles.views import articles

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", articles.article_list, name="article_list"),
    path("articles/add/", articles.article_add, name="article_add"),
    path("articles/<int:pk>/", articles.article_detail, name="article_detail"),
]
