from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Site

from demo import aid as aid_demo
from demo import calls as calls_demo
from demo import experts as experts_demo
from demo import logins
from demo import members as members_demo
from demo import volunteers as volunteers_demo
from demo.site import DemoLoader
from members.models import User
from portal.search.index import indexed_once_at_the_end


class Command(BaseCommand):
    help = "Build the demo site (notices, news, policies, science, partners in three languages). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")
        parser.add_argument(
            "--site-host", help="The host name the demo is served at (make run passes its HOST), for links."
        )
        parser.add_argument("--site-port", type=int, help="The port the demo is served at (make run passes its PORT).")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Refusing to load demo content with DEBUG off; pass --force if you mean it.")
        # The demo's people are fictitious: the e-mails their story sends (approvals, receipts …) go
        # nowhere instead of filling the console. Each page is indexed once, when everything is in.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            with indexed_once_at_the_end():
                self.load(options)
            self.stdout.write("Search index updated.")
        self.stdout.write("")
        self.stdout.write(
            f"Demo logins, password {logins.PASSWORD} (staff set up two-factor with an authenticator app "
            "on their first visit):"
        )
        for line in logins.table(settings.WAGTAILADMIN_BASE_URL):
            self.stdout.write(line)

    def load(self, options) -> None:
        admin = self.demo_admin()
        self.stdout.write("Loading demo content…")
        created = DemoLoader(admin, progress=self.stdout.write).run()
        if options["site_host"] or options["site_port"]:
            self.serve_at(options["site_host"], options["site_port"])
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {created} pages created."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo content already present: nothing changed."))
        added = members_demo.load(timezone.localdate())
        if added:
            self.stdout.write(self.style.SUCCESS(f"Demo members loaded: {added} people."))
        applicants = experts_demo.load(timezone.localdate(), editor=admin, progress=self.stdout.write)
        if applicants:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo expert database loaded: {applicants} applicants, batches 1 to 3 closed and their experts "
                    "in the directory, batch 4 in its notice period, applications waiting for review."
                )
            )
        if volunteers_demo.load(timezone.localdate(), editor=admin, progress=self.stdout.write):
            self.stdout.write(self.style.SUCCESS("Demo volunteer section loaded: drives, campaign batches, hours."))
        if aid_demo.load(timezone.localdate(), editor=admin, progress=self.stdout.write):
            self.stdout.write(self.style.SUCCESS("Demo aid programme loaded: counsellors and cases."))
        if calls_demo.load(timezone.localdate(), editor=admin, progress=self.stdout.write):
            self.stdout.write(
                self.style.SUCCESS(
                    "Demo calls loaded: the industry directory (open); the 2021 awards and the 2019 branch "
                    "evaluation with their results and certificates, the 2019 project call, the 2018 expert "
                    "proposals in review, the 2019 work reports and the return-to-work survey (closed)."
                )
            )

    def serve_at(self, host: str | None, port: int | None) -> None:
        """The demo site's address is where it is served: page links, canonical tags and the sitemap
        are built from it."""
        site = Site.objects.get(is_default_site=True)
        site.hostname, site.port = host or site.hostname, port or site.port
        site.save()
        self.stdout.write(f"The demo site answers at {site.root_url}/.")

    def demo_admin(self) -> User:
        admin = User.objects.filter(email=logins.ADMIN_EMAIL).first()
        if admin is None:
            admin = User.objects.create_superuser(logins.ADMIN_EMAIL, logins.PASSWORD, full_name="演示管理员")
            self.stdout.write(f"Created the demo administrator {logins.ADMIN_EMAIL}.")
        # Its address counts as verified: sign-in requires a verified address.
        EmailAddress.objects.update_or_create(
            user=admin, email=logins.ADMIN_EMAIL, defaults={"verified": True, "primary": True}
        )
        return admin
