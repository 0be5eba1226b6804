from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Commitments register")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # checks registers itself; services connects the cleaning of stored text (pre_save), which
        # must hold for every save, also in commands and workers that never import the admin.
        from tracker.ops import checks  # noqa: F401
        from tracker.public import sqlite_search  # noqa: F401
        from tracker.register import figures, services  # noqa: F401

        # The task queue's admin section, in the clerks' language (the package names it in English only).
        if apps.is_installed("django_tasks_db"):
            apps.get_app_config("django_tasks_database").verbose_name = _("Background tasks")
        pre_migrate.connect(sqlite_search.before_migrate, sender=self)
        post_migrate.connect(sqlite_search.after_migrate, sender=self)
        pre_migrate.connect(figures.before_migrate, sender=self)
        post_migrate.connect(figures.after_migrate, sender=self)
