"""Onboarding for the demo: one company waiting for review, one invitation waiting for an answer.

    python manage.py seed_demo            # first: the catalog and the demo sellers
    python manage.py seed_onboarding_demo

- "Hangzhou Demo Applicant Textiles Co., Ltd." applied to sell (account applicant@demo.silkway.test, password
  silkway-demo) with a small real PDF business licence: the operator reviews it at /admin/ → Supplier applications.
- The owner of the first demo supplier invited new-colleague@demo.silkway.test; the join link is printed.

Idempotent: a re-run leaves an existing application as it is and sends a fresh invitation. Writes go through
suppliers.onboarding.
"""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.urls import reverse

from demo.documents import demo_pdf
from suppliers import onboarding
from suppliers.models import MembershipRole, SupplierApplication, SupplierMembership

PASSWORD = "silkway-demo"
APPLICANT = "applicant@demo.silkway.test"
COMPANY = "Hangzhou Demo Applicant Textiles Co., Ltd."
COLLEAGUE = "new-colleague@demo.silkway.test"


class Command(BaseCommand):
    help = "Seed one supplier application waiting for review and one pending team invitation."

    def handle(self, *args, **options):
        application = SupplierApplication.objects.filter(applicant__email=APPLICANT).first()
        if application is None:
            if get_user_model().objects.filter(email=APPLICANT).exists():
                self.stdout.write(self.style.WARNING(f"{APPLICANT} exists without an application; left as it is."))
            else:
                application = onboarding.supplier_application_submit(
                    email=APPLICANT,
                    password=PASSWORD,
                    company_name=COMPANY,
                    kind="factory",
                    country="CN",
                    region="Hangzhou, Zhejiang",
                    city="Hangzhou",
                    registration_number="91330100DEMO00001X",
                    contact_name="Chen Jing",
                    phone="+86 571 8888 0000",
                    website="https://textiles.example.com",
                    business_licence=ContentFile(demo_pdf(f"Business licence - {COMPANY}"), name="licence.pdf"),
                )
        if application is not None:
            self.stdout.write(f"Application waiting for review: {application} ({application.get_status_display()}).")

        owner = (
            SupplierMembership.objects.filter(role=MembershipRole.OWNER, user__email__endswith="@demo.silkway.test")
            .exclude(user__email=APPLICANT)
            .select_related("supplier", "user")
            .order_by("user__email")
            .first()
        )
        if owner is None:
            self.stdout.write(self.style.WARNING("No demo seller owner found: run seed_demo first."))
            return
        if get_user_model().objects.filter(email=COLLEAGUE, supplier_membership__isnull=False).exists():
            self.stdout.write(f"{COLLEAGUE} has already joined a team.")
            return
        _invitation, token = onboarding.supplier_invitation_create(
            supplier=owner.supplier, email=COLLEAGUE, role=MembershipRole.STAFF, invited_by=owner.user
        )
        self.stdout.write(
            f"{owner.user.email} invited {COLLEAGUE} to {owner.supplier}: {reverse('sell:join', args=[token])}"
        )
