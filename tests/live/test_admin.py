"""/seller/ live sessions: seller A never sees, edits or picks supplier B's rows; the services' rules show as form
errors. /admin/ lists every supplier's sessions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from live.models import LiveSession

pytestmark = pytest.mark.django_db


def _post_data(product_ids, **overrides):
    starts = timezone.now() + timedelta(days=1)
    data = {
        "title": "Alpha drill line live",
        "description": "",
        "language": "en",
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": "10:00:00",
        "ends_at_0": starts.strftime("%Y-%m-%d"),
        "ends_at_1": "11:00:00",
        "stream_url": "https://www.youtube.com/live/alpha",
        "products": product_ids,
    }
    data.update(overrides)
    return data


def test_seller_a_never_sees_edits_or_picks_supplier_bs_rows(
    seller_a_client, supplier_a, supplier_b, product_a, product_b, make_session
):
    theirs = make_session(supplier_b, title="Beta tumbler printing")
    mine = make_session(supplier_a, title="Alpha drill testing")
    changelist = seller_a_client.get(reverse("seller:live_livesession_changelist")).content.decode()
    assert "Alpha drill testing" in changelist and "Beta tumbler printing" not in changelist
    assert seller_a_client.get(reverse("seller:live_livesession_change", args=[theirs.pk])).status_code == 404
    add_url = reverse("seller:live_livesession_add")
    form = seller_a_client.get(add_url).context["adminform"].form
    assert list(form.fields["products"].queryset) == [product_a]
    assert "supplier" not in form.fields
    # B's product is not a choice: refused, nothing saved.
    response = seller_a_client.post(add_url, _post_data([product_b.pk]))
    assert response.status_code == 200 and response.context["adminform"].form.errors["products"]
    assert LiveSession.objects.count() == 2
    response = seller_a_client.post(add_url, _post_data([product_a.pk]))
    assert response.status_code == 302
    created = LiveSession.objects.get(title="Alpha drill line live")
    assert created.supplier == supplier_a and list(created.products.all()) == [product_a]
    # Editing B's session by id is a 404 and changes nothing.
    response = seller_a_client.post(
        reverse("seller:live_livesession_change", args=[theirs.pk]), _post_data([product_a.pk], title="Hijacked")
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Beta tumbler printing"
    assert mine.supplier == supplier_a


def test_bad_times_and_links_are_form_errors(seller_a_client, product_a):
    add_url = reverse("seller:live_livesession_add")
    response = seller_a_client.post(add_url, _post_data([product_a.pk], ends_at_1="09:00:00"))
    errors = response.context["adminform"].form.errors
    assert errors["ends_at"] == ["The session must end after it starts."]
    response = seller_a_client.post(add_url, _post_data([product_a.pk], stream_url="http://example.com/x"))
    assert "https://" in response.context["adminform"].form.errors["stream_url"][0]
    assert not LiveSession.objects.exists()


def test_registration_count_and_cancel_action(seller_a_client, supplier_a, make_session, buyer):
    from live import services

    session = make_session(supplier_a)
    services.registration_set(session=session, buyer=buyer, registered=True)
    url = reverse("seller:live_livesession_changelist")
    response = seller_a_client.get(url)
    assert response.context["cl"].result_list[0].registrations_total == 1
    seller_a_client.post(url, {"action": "cancel_sessions", "_selected_action": [session.pk]})
    session.refresh_from_db()
    assert session.cancelled_at is not None


def test_operator_admin_lists_every_supplier(client, operator, supplier_a, supplier_b, make_session):
    make_session(supplier_a, title="Alpha live")
    make_session(supplier_b, title="Beta live")
    client.force_login(operator)
    page = client.get(reverse("admin:live_livesession_changelist")).content.decode()
    assert "Alpha live" in page and "Beta live" in page
    assert client.get(reverse("admin:live_livesession_add")).status_code == 200
