from django.urls import path

from articles.jobs import views

urlpatterns = [
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<id:pk>/", views.job_detail, name="job_detail"),
]
