from django.urls import path

from articles.coding import adjudication_views, agreement_views, views

urlpatterns = [
    path("mine/", views.my_work, name="my_work"),
    path("batches/", views.batch_list, name="coding_batches"),
    path("batches/new/", views.batch_new, name="coding_batch_new"),
    path("batches/<id:pk>/", views.batch_detail, name="coding_batch"),
    path("assignments/<id:pk>/done/", views.assignment_done, name="assignment_done"),
    path("batches/<id:pk>/agreement/", agreement_views.batch_agreement, name="coding_agreement"),
    path(
        "batches/<id:pk>/adjudication/",
        adjudication_views.adjudication_list,
        name="coding_adjudication_list",
    ),
    path(
        "batches/<id:pk>/articles/<id:article_pk>/adjudicate/",
        adjudication_views.adjudicate,
        name="coding_adjudicate",
    ),
]
