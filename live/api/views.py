"""Live sessions over the API. Public: the list (filters status, supplier, product) and one session. A signed-in
buyer registers for a reminder, takes it back, and asks questions. Thin: selectors to read, services to write."""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from core.api.pagination import KeysetOrdering

from .. import selectors, services
from ..models import LiveSession
from .filters import LiveSessionFilter
from .serializers import (
    LiveSessionDetailSerializer,
    LiveSessionSerializer,
    QuestionResultSerializer,
    QuestionSerializer,
    RegistrationSerializer,
)

ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Language for product titles, e.g. `de`; English by default.",
)


@extend_schema_view(
    list=extend_schema(summary="Live sessions", tags=["live"], parameters=[ACCEPT_LANGUAGE]),
    retrieve=extend_schema(summary="A live session", tags=["live"], parameters=[ACCEPT_LANGUAGE]),
)
class LiveSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_converter = "id"
    filterset_class = LiveSessionFilter
    keyset_orderings = {
        "starts_at": KeysetOrdering(F("starts_at"), label="soonest first"),
        "-starts_at": KeysetOrdering(F("starts_at"), descending=True, label="latest first"),
    }
    default_ordering = "starts_at"

    def get_permissions(self):
        if self.action in ("register", "unregister", "questions"):
            return [IsAuthenticated()]
        return [AllowAny()]

    def get_queryset(self):
        return selectors.session_list_public(language=get_language())

    def get_serializer_class(self):
        return LiveSessionDetailSerializer if self.action == "retrieve" else LiveSessionSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_object(self):
        try:
            return selectors.session_get_public(pk=self.kwargs["pk"], language=get_language())
        except LiveSession.DoesNotExist:
            raise NotFound() from None

    def retrieve(self, request, *args, **kwargs):
        session = self.get_object()
        registered = None
        if request.user.is_authenticated:
            registered = bool(selectors.registered_session_ids(buyer=request.user, session_ids=[session.pk]))
        context = {**self.get_serializer_context(), "registered": registered}
        return Response(LiveSessionDetailSerializer(session, context=context).data)

    def _registration(self, request, registered: bool):
        session = self.get_object()
        state = services.registration_set(session=session, buyer=request.user, registered=registered)
        return Response(RegistrationSerializer({"registered": state}).data)

    @extend_schema(summary="Register for a reminder", tags=["live"], request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def register(self, request, pk=None):
        return self._registration(request, True)

    @extend_schema(summary="Take back a registration", tags=["live"], request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def unregister(self, request, pk=None):
        return self._registration(request, False)

    @extend_schema(
        summary="Ask the supplier a question about the session",
        tags=["live"],
        request=QuestionSerializer,
        responses={201: QuestionResultSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def questions(self, request, pk=None):
        session = self.get_object()
        serializer = QuestionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        conversation = services.live_question_ask(
            buyer=request.user, session=session, body=serializer.validated_data["body"]
        )
        return Response(
            QuestionResultSerializer({"conversation_id": conversation.pk}).data, status=status.HTTP_201_CREATED
        )
