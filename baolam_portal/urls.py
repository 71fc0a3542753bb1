from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.forms import SignInForm
from dashboard import views as dashboard_views

from . import views

admin.site.site_header = _("Military command of Bảo Lâm district – administration")
admin.site.site_title = _("Military command of Bảo Lâm district – portal administration")
admin.site.index_title = _("Records")

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("dashboard/print/", dashboard_views.dashboard_print, name="dashboard_print"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path(
        "login/",
        login_not_required(
            auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm)
        ),
        name="login",
    ),
    path("logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("accounts.urls")),
    path("files/", include("units.urls")),
    path("signers/", include("units.urls_signers")),
    path("people/", include("people.urls")),
    path("militia/", include("militia.urls")),
    path("recruitment/", include("recruitment.urls")),
    path("activities/", include("activities.urls")),
    path("calendar/", include("agenda.urls")),
    path("reports/", include("reports.urls")),
    path("units/", include("reorg.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "baolam_portal.views.error_403"
handler404 = "baolam_portal.views.error_404"
handler500 = "baolam_portal.views.error_500"
