from django.urls import path

from . import views_signers

app_name = "signers"
urlpatterns = [
    path("", views_signers.signer_list, name="list"),
    path("new/", views_signers.signer_create, name="create"),
    path("<int:pk>/edit/", views_signers.signer_update, name="update"),
]
