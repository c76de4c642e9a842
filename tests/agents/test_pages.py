"""The pages around buyers' agents: the buyer's /agents/ screens (sign-in, two-buyer tenancy, send and discard,
bounded queries), the agent marks where buyers and sellers read them, the header and footer links, and the
operator admin (never on the seller site)."""

import html
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken

from agents import selectors, services
from agents.models import AgentAction, Outcome, RFQConfirmation
from agents.scopes import SCOPE_DESCRIPTIONS
from agents.selectors import Caller
from agents.server import mcp
from conversations.models import Message
from conversations.services import message_send
from sourcing.models import RFQRecipient, RFQStatus
from sourcing.services import rfq_draft_from_plan, rfq_send
from suppliers.admin_scoping import seller_site
from tests.factories import ProductFactory
from tests.sourcing.test_pages import done_plan, request_with_requirements

pytestmark = pytest.mark.django_db

AGENT = "Desk Assistant"
ALL_SCOPES = frozenset(SCOPE_DESCRIPTIONS)
SELLER_LINE = "Drafted by the buyer's AI assistant (Desk Assistant); sent by the buyer."
SELLER_LABEL = "written by the buyer's AI assistant Desk Assistant"


def caller(user, *, client_id="c1", agent_name=AGENT) -> Caller:
    return Caller(user=user, scopes=ALL_SCOPES, client_id=client_id, agent_name=agent_name)


def drafted(buyer, suppliers, *, client_id="c1", title="Bamboo boards for Rotterdam") -> RFQConfirmation:
    """An RFQ the buyer's agent drafted from a finished plan, proposed to `suppliers`, waiting for the buyer."""
    request = request_with_requirements(buyer, product=title)
    done_plan(request, suppliers)
    return services.agent_rfq_draft(
        caller=caller(buyer, client_id=client_id),
        request_id=request.pk,
        supplier_ids=[s.pk for s in suppliers],
        send_to_best_matches=False,
    )


def grant(user, name=AGENT) -> Application:
    """A live grant as the OAuth flow leaves it: an access token and its refresh token."""
    application = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://127.0.0.1:9/callback",
    )
    access = AccessToken.objects.create(
        user=user,
        application=application,
        token=f"access-{application.pk}-{user.pk}",
        expires=timezone.now() + timedelta(hours=1),
        scope="sourcing:read rfq:write",
    )
    RefreshToken.objects.create(
        user=user, application=application, token=f"refresh-{application.pk}-{user.pk}", access_token=access
    )
    return application


def page(response) -> str:
    return html.unescape(response.content.decode())


def main(response) -> str:
    """The page's own content, without the header and footer links."""
    return page(response).split("<main", 1)[1].split("</main>", 1)[0]


def nav(response) -> str:
    return page(response).split('<nav class="nav">', 1)[1].split("</nav>", 1)[0]


def confirm_url(confirmation) -> str:
    return reverse("agents:rfq_confirm", args=[confirmation.rfq_id])


# --- sign-in --------------------------------------------------------------------------------------------------


def test_every_agents_page_but_connect_needs_a_signed_in_buyer(client, buyer, supplier_a):
    confirmation = drafted(buyer, [supplier_a])
    application = grant(buyer)
    login = reverse("accounts:login")
    for method, url in [
        ("get", reverse("agents:access")),
        ("get", confirm_url(confirmation)),
        ("post", confirm_url(confirmation)),
        ("post", reverse("agents:grant_revoke", args=[application.pk])),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(login), (method, url)
    assert RFQConfirmation.objects.get().pending and not RFQRecipient.objects.exists()
    assert AccessToken.objects.filter(user=buyer).count() == 1


def test_the_connect_guide_is_public_and_lists_every_tool_and_scope(client):
    response = client.get(reverse("agents:connect"))
    assert response.status_code == 200
    text = page(response)
    for tool in async_to_sync(mcp.list_tools)():
        assert f"<code>{tool.name}</code>" in text
    for scope in SCOPE_DESCRIPTIONS:
        assert f"<code>{scope}</code>" in text


# --- two buyers -----------------------------------------------------------------------------------------------


def test_another_buyer_gets_404_on_a_draft_and_sends_nothing(client, buyer, other_buyer, supplier_a):
    confirmation = drafted(buyer, [supplier_a])
    client.force_login(other_buyer)
    url = confirm_url(confirmation)
    assert client.get(url).status_code == 404
    assert client.post(url, {"send": "1"}).status_code == 404
    assert client.post(url, {"discard": "1"}).status_code == 404
    confirmation.refresh_from_db()
    assert confirmation.pending and confirmation.rfq.status == RFQStatus.DRAFT
    assert not RFQRecipient.objects.exists()


def test_another_buyer_revoking_an_application_id_revokes_nothing_of_the_owners(client, buyer, other_buyer):
    application = grant(buyer)
    client.force_login(other_buyer)
    response = client.post(reverse("agents:grant_revoke", args=[application.pk]), follow=True)
    assert "That assistant had no access left." in page(response)
    assert AccessToken.objects.filter(user=buyer, application=application).count() == 1
    assert RefreshToken.objects.get(user=buyer, application=application).revoked is None
    assert [g.application for g in selectors.grants_for_user(user=buyer)] == [application]
    # The owner's own click does revoke it.
    client.force_login(buyer)
    response = client.post(reverse("agents:grant_revoke", args=[application.pk]), follow=True)
    assert "The assistant&#x27;s access was revoked" in response.content.decode()
    assert not AccessToken.objects.filter(user=buyer).exists()
    assert selectors.grants_for_user(user=buyer) == []


def test_a_buyers_access_page_lists_none_of_another_buyers_grants_drafts_or_activity(
    client, buyer, other_buyer, supplier_a
):
    grant(buyer, name="Alpha Private Agent")
    drafted(buyer, [supplier_a], title="Alpha secret boards")
    services.agent_action_log(caller=caller(buyer), tool="search_products", summary="Searched for alpha-only-query")
    client.force_login(buyer)
    own = page(client.get(reverse("agents:access")))
    assert "Alpha Private Agent" in own and "Alpha secret boards" in own and "alpha-only-query" in own
    client.force_login(other_buyer)
    response = client.get(reverse("agents:access"))
    assert response.status_code == 200
    other = page(response)
    assert "Alpha Private Agent" not in other and "Alpha secret boards" not in other
    assert "alpha-only-query" not in other and "No assistant has access to your account." in other
    assert "Nothing yet." in other


# --- the buyer's confirmation ---------------------------------------------------------------------------------


def test_discard_cancels_the_rfq_and_marks_the_confirmation_discarded(client, buyer, supplier_a):
    confirmation = drafted(buyer, [supplier_a])
    client.force_login(buyer)
    response = client.post(confirm_url(confirmation), {"discard": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("agents:access")
    assert "The draft was discarded; no supplier saw it." in page(response)
    confirmation.refresh_from_db()
    assert confirmation.discarded_at is not None and confirmation.confirmed_at is None
    assert confirmation.rfq.status == RFQStatus.CANCELLED
    assert not RFQRecipient.objects.exists()
    assert not selectors.rfq_confirmations_pending(user=buyer).exists()
    assert "This draft was discarded." in page(client.get(confirm_url(confirmation)))


def test_sending_twice_is_refused_with_a_message(client, buyer, supplier_a, supplier_b):
    confirmation = drafted(buyer, [supplier_a, supplier_b])
    client.force_login(buyer)
    response = client.post(confirm_url(confirmation), {"send": "1"})
    assert response.status_code == 302 and response.url == reverse("sourcing:rfq_detail", args=[confirmation.rfq_id])
    assert set(RFQRecipient.objects.values_list("supplier_id", flat=True)) == {supplier_a.pk, supplier_b.pk}
    response = client.post(confirm_url(confirmation), {"send": "1"}, follow=True)
    assert response.redirect_chain[0][0] == confirm_url(confirmation)
    assert "This RFQ was already sent or discarded." in page(response)
    assert RFQRecipient.objects.count() == 2
    confirmation.refresh_from_db()
    assert confirmation.confirmed_at is not None and confirmation.discarded_at is None


def test_a_draft_sent_from_the_rfq_page_no_longer_waits(client, buyer, supplier_a):
    confirmation = drafted(buyer, [supplier_a])
    rfq_url = reverse("sourcing:rfq_detail", args=[confirmation.rfq_id])
    client.force_login(buyer)
    before = page(client.get(rfq_url))
    assert f"Drafted by your AI assistant {AGENT}." in before
    assert f'href="{confirm_url(confirmation)}"' in before
    assert list(selectors.rfq_confirmations_pending(user=buyer)) == [confirmation]

    client.post(rfq_url, {"send": "1", "suppliers": [str(supplier_a.pk)]})
    confirmation.refresh_from_db()
    assert confirmation.rfq.status == RFQStatus.SENT
    assert not selectors.rfq_confirmations_pending(user=buyer).exists()
    assert selectors.pending_rfq_count(user=buyer, client_id="c1") == 0
    after = page(client.get(rfq_url))
    assert f"Drafted by your AI assistant {AGENT}." in after
    assert confirm_url(confirmation) not in after
    assert "RFQs waiting for your confirmation" not in page(client.get(reverse("agents:access")))
    # Its confirmation page says so and offers no second send.
    confirm_page = page(client.get(confirm_url(confirmation)))
    assert "This RFQ was sent." in confirm_page and 'name="send"' not in confirm_page


def test_an_rfq_the_buyer_wrote_shows_no_assistant_notice_and_the_notice_costs_one_query(client, buyer, supplier_a):
    plan = done_plan(request_with_requirements(buyer), [supplier_a])
    own = rfq_draft_from_plan(plan=plan, buyer=buyer)
    confirmation = drafted(buyer, [supplier_a])
    client.force_login(buyer)
    with CaptureQueriesContext(connection) as by_hand:
        response = client.get(reverse("sourcing:rfq_detail", args=[own.pk]))
    assert response.status_code == 200 and "AI assistant" not in main(response)
    with CaptureQueriesContext(connection) as by_agent:
        response = client.get(reverse("sourcing:rfq_detail", args=[confirmation.rfq_id]))
    assert "Drafted by your AI assistant" in main(response)
    assert len(by_agent) == len(by_hand) + 1


# --- bounded queries ------------------------------------------------------------------------------------------


def _fill(buyer, suppliers, *, grants, actions, drafts_per_agent):
    for n in range(grants):
        application = grant(buyer, name=f"Agent {n}")
        agent = caller(buyer, client_id=application.client_id, agent_name=application.name)
        for _ in range(drafts_per_agent if n < 2 else 0):
            request = request_with_requirements(buyer)
            done_plan(request, suppliers)
            services.agent_rfq_draft(
                caller=agent, request_id=request.pk, supplier_ids=[suppliers[0].pk], send_to_best_matches=False
            )
        AgentAction.objects.bulk_create(
            AgentAction(
                user=buyer,
                client_id=application.client_id,
                agent_name=application.name,
                tool="search_products" if i % 3 else "draft_rfq",
                outcome=Outcome.REFUSED if i % 5 == 0 else Outcome.DONE,
                summary=f"Action {i} of agent {n}",
            )
            for i in range(actions)
        )


def test_the_access_page_runs_the_same_bounded_queries_for_1_or_6_grants(
    client, buyer, supplier_a, supplier_b, django_assert_max_num_queries
):
    client.force_login(buyer)
    url = reverse("agents:access")
    _fill(buyer, [supplier_a], grants=1, actions=2, drafts_per_agent=1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _fill(buyer, [supplier_a, supplier_b], grants=5, actions=30, drafts_per_agent=3)
    with django_assert_max_num_queries(9) as many:
        response = client.get(url)
    text = page(response)
    assert response.status_code == 200 and all(f"Agent {n}" in text for n in range(5))
    assert text.count('action="/agents/grants/') == 6
    assert len(many) == len(few)


# --- the agent's marks where people read them ------------------------------------------------------------------


@pytest.fixture
def sent_by_agent(buyer, supplier_a):
    """A's agent drafted an RFQ to supplier A; the buyer sent it from the confirmation page."""
    confirmation = drafted(buyer, [supplier_a], client_id="desk-client-7f3a", title="Agent-drafted boards")
    services.rfq_confirmation_send(confirmation=confirmation, buyer=buyer)
    return confirmation.rfq.recipients.get(supplier=supplier_a)


@pytest.fixture
def agent_inquiry(buyer, supplier_a):
    """A's agent asked supplier A about a product; the buyer added a line by hand; the seller answered."""
    product = ProductFactory(supplier=supplier_a, title="Alpha bamboo board")
    inquiry = services.agent_message_send(
        caller=caller(buyer, client_id="desk-client-7f3a"), body="Agent asks: FSC certified?", product_id=product.pk
    )
    message_send(conversation=inquiry, sender=buyer, body="Buyer adds: 2,000 pieces.", from_supplier=False)
    return inquiry


def test_the_seller_sees_who_drafted_a_received_rfq_and_nothing_else_of_the_agent(client, seller_a, sent_by_agent):
    client.force_login(seller_a)
    response = client.get(reverse("seller:sourcing_rfqrecipient_change", args=[sent_by_agent.pk]))
    assert response.status_code == 200
    text = page(response)
    assert text.count(SELLER_LINE) == 1
    assert "desk-client-7f3a" not in text and "idempotency" not in text


def test_a_received_rfq_the_buyer_wrote_has_no_agent_line(client, seller_a, buyer, supplier_a):
    plan = done_plan(request_with_requirements(buyer), [supplier_a])
    rfq = rfq_send(rfq=rfq_draft_from_plan(plan=plan, buyer=buyer), buyer=buyer, supplier_ids=[supplier_a.pk])
    client.force_login(seller_a)
    text = page(client.get(reverse("seller:sourcing_rfqrecipient_change", args=[rfq.recipients.get().pk])))
    assert "AI assistant" not in text


def test_the_seller_sees_which_messages_the_buyers_agent_wrote(client, seller_a, agent_inquiry):
    client.force_login(seller_a)
    response = client.get(reverse("seller:conversations_conversation_change", args=[agent_inquiry.pk]))
    assert response.status_code == 200
    text = page(response)
    assert "Agent asks: FSC certified?" in text and "Buyer adds: 2,000 pieces." in text
    assert text.count(SELLER_LABEL) == 1
    assert "desk-client-7f3a" not in text
    assert Message.objects.filter(conversation=agent_inquiry, via_agent=AGENT).count() == 1


def test_seller_b_sees_neither_the_rfq_nor_the_inquiry(client, seller_b, sent_by_agent, agent_inquiry):
    client.force_login(seller_b)
    assert client.get(reverse("seller:sourcing_rfqrecipient_change", args=[sent_by_agent.pk])).status_code == 404
    assert client.get(reverse("seller:conversations_conversation_change", args=[agent_inquiry.pk])).status_code == 404
    rfqs = page(client.get(reverse("seller:sourcing_rfqrecipient_changelist")))
    inquiries = page(client.get(reverse("seller:conversations_conversation_changelist")))
    assert "Agent-drafted boards" not in rfqs and "Desk Assistant" not in rfqs
    assert "Alpha bamboo board" not in inquiries and "Desk Assistant" not in inquiries


def test_the_buyer_sees_which_messages_their_assistant_wrote(client, buyer, other_buyer, agent_inquiry):
    client.force_login(buyer)
    text = page(client.get(reverse("conversations:detail", args=[agent_inquiry.pk])))
    assert text.count(f"written by your AI assistant {AGENT}") == 1
    client.force_login(other_buyer)
    assert client.get(reverse("conversations:detail", args=[agent_inquiry.pk])).status_code == 404


def test_header_and_footer_link_to_the_assistant_pages(client, buyer):
    access, connect = reverse("agents:access"), reverse("agents:connect")
    anonymous = client.get(reverse("agents:connect"))
    assert f'href="{access}"' not in nav(anonymous)
    assert f'href="{connect}">Connect your AI assistant<' in page(anonymous).split('<footer class="site-footer">')[1]
    client.force_login(buyer)
    signed_in = client.get(reverse("agents:connect"))
    links = nav(signed_in)
    assert links.index(reverse("deals:home")) < links.index(f'href="{access}">AI assistants<')
    assert f'href="{connect}">Connect your AI assistant<' in page(signed_in).split('<footer class="site-footer">')[1]


# --- the operator admin ---------------------------------------------------------------------------------------


def test_operator_admin_changelists_load_with_bounded_queries(
    client, operator, buyer, other_buyer, supplier_a, supplier_b, django_assert_max_num_queries
):
    client.force_login(operator)
    urls = [reverse("admin:agents_agentaction_changelist"), reverse("admin:agents_rfqconfirmation_changelist")]
    _fill(buyer, [supplier_a], grants=1, actions=2, drafts_per_agent=1)
    few = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        few.append(len(queries))
    _fill(other_buyer, [supplier_a, supplier_b], grants=4, actions=25, drafts_per_agent=3)
    for url, count, most in zip(urls, few, [8, 7], strict=True):
        with django_assert_max_num_queries(most) as many:
            response = client.get(url)
        assert response.status_code == 200 and len(many) == count
    text = page(client.get(urls[0], {"q": other_buyer.email, "outcome__exact": "refused"}))
    assert "Action 0 of agent 0" in text and f">{buyer.email}<" not in text
    text = page(client.get(urls[1], {"state": "pending"}))
    assert other_buyer.email in text and "Waiting for the buyer" in text
    action = AgentAction.objects.first()
    confirmation = RFQConfirmation.objects.first()
    assert client.get(reverse("admin:agents_agentaction_change", args=[action.pk])).status_code == 200
    assert client.get(reverse("admin:agents_rfqconfirmation_change", args=[confirmation.pk])).status_code == 200
    # Read-only: nothing is added, changed or deleted here.
    assert client.get(reverse("admin:agents_agentaction_add")).status_code == 403
    assert client.get(reverse("admin:agents_rfqconfirmation_delete", args=[confirmation.pk])).status_code == 403
    response = client.post(reverse("admin:agents_rfqconfirmation_change", args=[confirmation.pk]), {"broadcast": "on"})
    assert response.status_code == 403


def test_the_seller_site_has_no_oauth_or_agents_models(client, seller_a):
    assert AccessToken in admin.site._registry and AgentAction in admin.site._registry
    assert RFQConfirmation in admin.site._registry
    labels = {model._meta.app_label for model in seller_site._registry}
    assert not labels & {"oauth2_provider", "agents"}
    client.force_login(seller_a)
    for url in ["/seller/oauth2_provider/", "/seller/oauth2_provider/accesstoken/", "/seller/agents/agentaction/"]:
        assert client.get(url).status_code == 404, url
    index = page(client.get(reverse("seller:index")))
    assert "Access tokens" not in index and "agent actions" not in index.lower()
