from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

USERNAME = "griffie"
PASSWORD = "griffie-demo"  # noqa: S105 - development-only account, refused when DEBUG is off


def is_demo_login(username, password) -> bool:
    """Whether these are the demo clerk's published name and password."""
    return username == USERNAME and password == PASSWORD


def demo_clerks():
    """Accounts that still are the demo clerk: its name with its published password (checked by hash)."""
    return [user for user in get_user_model().objects.filter(username=USERNAME) if user.check_password(PASSWORD)]


class Command(BaseCommand):
    help = "Create the demo clerk account (development only) if it does not exist yet."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(_("The demo account exists for development only (DEBUG on)."))
        User = get_user_model()
        if User.objects.filter(username=USERNAME).exists():
            self.stdout.write(
                _("Demo clerk exists already: user '%(user)s', password '%(password)s'.")
                % {"user": USERNAME, "password": PASSWORD}
            )
            return
        user = User.objects.create_user(
            USERNAME, password=PASSWORD, is_staff=True, first_name="Demo", last_name="Griffie"
        )
        user.groups.add(Group.objects.get(name="Griffie"))
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo clerk created: user '%(user)s', password '%(password)s' (development only).")
                % {"user": USERNAME, "password": PASSWORD}
            )
        )
