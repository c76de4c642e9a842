"""Buyer pages: /live/ (live now, upcoming, recently ended) and /live/<id>/ (watch, register, ask). Thin: read
through selectors, write through services."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import QuestionForm
from .models import LiveSession


def _session_or_404(pk):
    try:
        return selectors.session_get_public(pk=pk, language=get_language())
    except LiveSession.DoesNotExist:
        raise Http404(_("No such live session.")) from None


def _thread_url(conversation):
    if conversation is None:
        return ""
    try:
        return conversation.get_absolute_url()
    except NoReverseMatch:  # the conversation pages are not mounted
        return ""


def _errors(error: ValidationError) -> str:
    return " ".join(message for message in error.messages)


@require_GET
def session_list(request):
    now = timezone.now()
    listing = selectors.session_listing(now=now, language=get_language())
    registered = selectors.registered_session_ids(buyer=request.user, session_ids=[s.pk for s in listing.upcoming])
    return render(request, "live/list.html", {"listing": listing, "registered": registered, "now": now})


@require_http_methods(["GET", "POST"])
def session_detail(request, pk):
    session = _session_or_404(pk)
    form = QuestionForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            messages.info(request, _("Sign in or join as a buyer to ask the supplier."))
            return redirect_to_login(request.path + "#ask")
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                services.live_question_ask(buyer=request.user, session=session, body=form.cleaned_data["body"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your question was sent to %(supplier)s.") % {"supplier": session.supplier})
                return redirect(session.get_absolute_url() + "#ask")
    now = timezone.now()
    thread = selectors.question_thread_for(buyer=request.user, session=session)
    context = {
        "session": session,
        "status": session.status(now),
        "watch_open": session.watch_open(now),
        "registered": bool(selectors.registered_session_ids(buyer=request.user, session_ids=[session.pk])),
        "form": form,
        "thread": thread,
        "thread_url": _thread_url(thread),
        "products": list(session.products.all()),
    }
    return render(request, "live/detail.html", context)


@require_POST
def registration_toggle(request, pk):
    session = _session_or_404(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(session.get_absolute_url())
    try:
        registered = services.registration_toggle(session=session, buyer=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        if registered:
            messages.success(request, _("Registered: we e-mail you shortly before the session starts."))
        else:
            messages.success(request, _("You are no longer registered for this session."))
    return redirect(session.get_absolute_url())
