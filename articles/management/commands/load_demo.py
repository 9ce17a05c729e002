from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from articles.ingest.pipeline import ingest, store_article

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "pakistan-us-rift.txt"

# One login per role; the passwords are for a local demo only (the command refuses
# to run with DEBUG off unless --force is given).
DEMO_USERS = [
    ("analyst", "analyst-demo-pw", "Annotator", False, False),
    ("curator", "curator-demo-pw", "Curator", True, False),
    ("viewer", "viewer-demo-pw", "Viewer", False, False),
    ("admin", "admin-demo-pw", None, True, True),
]


class Command(BaseCommand):
    help = "Load the sample article and one demo login per role (Annotator, Curator, Viewer, superuser)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")
        parser.add_argument("--url", default="http://127.0.0.1:8000/login/", help="log-in address to print")

    def handle(self, *args, force=False, url, **options):
        if not settings.DEBUG and not force:
            raise CommandError("demo logins have known passwords; run with DEBUG=1 or --force")
        article, created = store_article(
            ingest(SAMPLE.read_text(encoding="utf-8")),
            outlet="ABC News",
            byline="Brian Ross",
        )
        self.stdout.write(f"Sample article {'loaded' if created else 'already there'}: {article.title}")
        for username, password, role, is_staff, is_superuser in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_staff, user.is_superuser = is_staff, is_superuser
            user.save()
            if role:
                user.groups.set([Group.objects.get(name=role)])
        self.stdout.write(f"Demo logins ({url}):")
        for username, password, role, _, _ in DEMO_USERS:
            self.stdout.write(f"  {role or 'Superuser':<10} {username} / {password}")
