from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from wholecouncil.council.views import home
from wholecouncil.web.public import public, signed_in_only
from wholecouncil.web.views import healthz

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "sign-in/",
        public(login_not_required(auth_views.LoginView.as_view(redirect_authenticated_user=True))),
        name="login",
    ),
    path("sign-out/", signed_in_only(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "account/password/",
        signed_in_only(auth_views.PasswordChangeView.as_view(success_url="/account/password/done/")),
        name="password_change",
    ),
    path(
        "account/password/done/",
        signed_in_only(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("healthz", healthz, name="healthz"),
    path("s/", include("wholecouncil.activity.respond_urls")),
    path("c/<slug:council_slug>/", include("wholecouncil.council.urls")),
    path("c/<slug:council_slug>/", include("wholecouncil.workforce.urls")),
    path("c/<slug:council_slug>/", include("wholecouncil.activity.urls")),
    path("c/<slug:council_slug>/", include("wholecouncil.spend.urls")),
    path("c/<slug:council_slug>/", include("wholecouncil.cases.urls")),
    path("c/<slug:council_slug>/", include("wholecouncil.portfolio.urls")),
    path("c/<slug:council_slug>/", include("wholecouncil.benefits.urls")),
    path("c/<slug:council_slug>/", include("wholecouncil.reports.urls")),
]
