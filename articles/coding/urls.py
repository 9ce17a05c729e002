from django.urls import path

from articles.coding import views

urlpatterns = [
    path("mine/", views.my_work, name="my_work"),
    path("batches/", views.batch_list, name="coding_batches"),
    path("batches/new/", views.batch_new, name="coding_batch_new"),
    path("batches/<int:pk>/", views.batch_detail, name="coding_batch"),
    path("assignments/<int:pk>/done/", views.assignment_done, name="assignment_done"),
]
