from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("security/", views.security, name="security"),
    path("security/enrol/", views.enrol, name="enrol"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/recovery-codes/new/", views.recovery_codes_regenerate, name="recovery_codes_regenerate"),
    path("security/disable/", views.disable, name="disable"),
    path("security/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("verify/", views.verify, name="verify"),
]
