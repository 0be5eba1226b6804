from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

from tracker.ops.runtime import healthz

if settings.TRACKER_ADMIN_REQUIRE_2FA:
    # Clerks then log in to the admin with a password and a TOTP code (django-otp).
    admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", RedirectView.as_view(pattern_name="tracker:list", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("account/login/", auth_views.LoginView.as_view(template_name="tracker/login.html"), name="login"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("tracker.urls")),
]
