"""Invitations and the seller's Team screen: owners invite, revoke and remove; staff only look; tenants never meet."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from suppliers import onboarding
from suppliers.models import SupplierInvitation, SupplierMembership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TEAM = "seller:suppliers_suppliermembership_changelist"
INVITE = "seller:suppliers_supplierinvitation_add"


def invite(supplier, by, email="colleague@example.com", role="staff"):
    return onboarding.supplier_invitation_create(supplier=supplier, email=email, role=role, invited_by=by)


def test_owner_invites_from_the_team_screen_and_the_link_is_mailed(seller_a_client, supplier_a, committed):
    with committed():
        response = seller_a_client.post(reverse(INVITE), {"email": "New.Person@Example.com", "role": "staff"})
    assert response.status_code == 302 and response["Location"] == reverse(TEAM)
    invitation = SupplierInvitation.objects.get()
    assert invitation.supplier == supplier_a and invitation.email == "new.person@example.com"
    assert len(invitation.token_hash) == 64
    assert mail.outbox[-1].to == ["new.person@example.com"] and "/sell/join/" in mail.outbox[-1].body
    team = seller_a_client.get(reverse(TEAM), follow=True)
    assert "Invitation sent to new.person@example.com" in team.content.decode()
    assert b"new.person@example.com" in team.content


def test_inviting_someone_of_another_supplier_or_of_this_one_is_refused(seller_a_client, seller_a, seller_b):
    response = seller_a_client.post(reverse(INVITE), {"email": "seller-b@example.com", "role": "staff"})
    assert "already works for another supplier" in response.content.decode()
    response = seller_a_client.post(reverse(INVITE), {"email": "seller-a@example.com", "role": "staff"})
    assert "already on your team" in response.content.decode()
    assert not SupplierInvitation.objects.exists()


def test_staff_cannot_invite(client, supplier_a, seller_a):
    staff = MembershipFactory(supplier=supplier_a, role="staff").user
    client.force_login(staff)
    assert client.get(reverse(INVITE)).status_code == 403
    with pytest.raises(ValidationError) as error:
        invite(supplier_a, staff)
    assert error.value.code == "not_owner"
    team = client.get(reverse(TEAM))
    assert team.status_code == 200 and b"Only the owners" in team.content
    assert reverse(INVITE).encode() not in team.content


def test_accept_with_a_new_account(client, supplier_a, seller_a):
    _invitation, token = invite(supplier_a, seller_a, role="staff")
    url = reverse("sell:join", args=[token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"password1": "another-Good-pass-9", "password2": "another-Good-pass-9"})
    assert response["Location"] == reverse("seller:index")
    member = SupplierMembership.objects.get(user__email="colleague@example.com")
    assert member.supplier == supplier_a and member.role == "staff" and member.user.email_verified
    # The link is used up.
    assert client.get(url).status_code == 410


def test_accept_with_an_existing_account_must_be_the_invited_one(client, supplier_a, seller_a):
    invited = UserFactory(email="colleague@example.com")
    stranger = UserFactory(email="stranger@example.com")
    _invitation, token = invite(supplier_a, seller_a)
    url = reverse("sell:join", args=[token])
    assert b"Sign in to accept" in client.get(url).content
    client.force_login(stranger)
    response = client.post(url)
    assert "This invitation is for colleague@example.com" in response.content.decode()
    assert not SupplierMembership.objects.filter(user=stranger).exists()
    client.force_login(invited)
    assert client.post(url)["Location"] == reverse("seller:index")
    assert SupplierMembership.objects.get(user=invited).supplier == supplier_a


def test_expired_and_revoked_invitations_are_refused(client, supplier_a, seller_a):
    invitation, token = invite(supplier_a, seller_a)
    SupplierInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError) as error:
        onboarding.supplier_invitation_accept(token=token, password="x-Good-pass-77")
    assert error.value.code == "expired"
    invitation, token = invite(supplier_a, seller_a)  # a fresh one replaces the stale one
    onboarding.supplier_invitation_revoke(invitation=invitation, by=seller_a)
    response = client.get(reverse("sell:join", args=[token]))
    assert response.status_code == 410 and b"withdrawn" in response.content
    assert client.get(reverse("sell:join", args=["not-a-token"])).status_code == 404


def test_owner_revokes_from_the_team_screen(seller_a_client, supplier_a, seller_a):
    invitation, _token = invite(supplier_a, seller_a)
    response = seller_a_client.post(reverse("seller:suppliers_supplierinvitation_revoke", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_owner_removes_staff_but_never_the_last_owner(seller_a_client, supplier_a, seller_a):
    staff = MembershipFactory(supplier=supplier_a, role="staff")
    owner = SupplierMembership.objects.get(user=seller_a)
    seller_a_client.post(
        reverse(TEAM), {"action": "remove_from_team", "_selected_action": [staff.pk, owner.pk]}, follow=True
    )
    assert not SupplierMembership.objects.filter(pk=staff.pk).exists()
    assert SupplierMembership.objects.filter(pk=owner.pk).exists()
    with pytest.raises(ValidationError) as error:
        onboarding.supplier_member_remove(membership=owner, by=seller_a)
    assert error.value.code == "last_owner"


def test_seller_b_cannot_see_or_revoke_a_s_invitations_or_members(client, supplier_a, seller_a, seller_b):
    invitation, _token = invite(supplier_a, seller_a, email="a-colleague@example.com")
    a_staff = MembershipFactory(supplier=supplier_a, role="staff", user=UserFactory(email="a-staff@example.com"))
    client.force_login(seller_b)
    team = client.get(reverse(TEAM))
    assert b"a-colleague@example.com" not in team.content and b"a-staff@example.com" not in team.content
    assert [m.user.email for m in team.context["cl"].result_list] == ["seller-b@example.com"]
    revoke = client.post(reverse("seller:suppliers_supplierinvitation_revoke", args=[invitation.pk]))
    assert revoke.status_code == 404
    client.post(reverse(TEAM), {"action": "remove_from_team", "_selected_action": [a_staff.pk]})
    invitation.refresh_from_db()
    assert invitation.revoked_at is None and SupplierMembership.objects.filter(pk=a_staff.pk).exists()
    with pytest.raises(ValidationError):
        onboarding.supplier_invitation_revoke(invitation=invitation, by=seller_b)


def test_team_list_runs_a_bounded_number_of_queries(
    seller_a_client, supplier_a, seller_a, django_assert_max_num_queries
):
    for index in range(15):
        MembershipFactory(supplier=supplier_a, role="staff", user=UserFactory(email=f"staff{index}@example.com"))
        invite(supplier_a, seller_a, email=f"invitee{index}@example.com")
    with django_assert_max_num_queries(14):
        response = seller_a_client.get(reverse(TEAM))
    assert response.status_code == 200 and b"invitee14@example.com" in response.content
