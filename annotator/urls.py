from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

handler400 = "articles.guards.views.bad_request"
handler403 = "articles.guards.views.permission_denied"
handler404 = "articles.guards.views.page_not_found"
handler500 = "articles.guards.views.server_error"
