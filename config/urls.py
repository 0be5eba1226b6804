from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="tracker:list", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("account/login/", auth_views.LoginView.as_view(template_name="tracker/login.html"), name="login"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("tracker.urls")),
]
