"""Registration, JWT login/refresh/logout, and the signed-in user's own account."""

from django.db import IntegrityError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import TokenBlacklistSerializer
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from core.api.throttles import AuthThrottle

from .. import services
from .serializers import (
    LoginRequestSerializer,
    LoginSerializer,
    MeSerializer,
    MeUpdateSerializer,
    RefreshRequestSerializer,
    RegisterResponseSerializer,
    RegisterSerializer,
    TokenPairSerializer,
)

# Auth endpoints keep the global anon/user limits and add the stricter per-address "auth" scope.
AUTH_THROTTLES = [*api_settings.DEFAULT_THROTTLE_CLASSES, AuthThrottle]


# For endpoints whose credential is in the body (registration, logout): a stale access token in the
# Authorization header must not block them. Their token errors stay 401 (DRF turns a 401 into a 403 when a
# view has no authenticator to name in WWW-Authenticate).
class NoAuthenticationMixin:
    authentication_classes = []

    def get_authenticate_header(self, request):
        return 'Bearer realm="api"'


def token_pair_for(user):
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


class RegisterView(NoAuthenticationMixin, generics.GenericAPIView):
    """A buyer account and its company profile, and a token pair so the app is signed in at once."""

    permission_classes = [AllowAny]
    throttle_classes = AUTH_THROTTLES
    serializer_class = RegisterSerializer

    @extend_schema(
        summary="Create a buyer account",
        tags=["auth"],
        request=RegisterSerializer,
        responses={201: RegisterResponseSerializer},
        auth=[],
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = services.buyer_register(**data)
        except IntegrityError:
            # Two sign-ups with one email at the same moment: the unique index decides, the loser gets a 400.
            raise serializers.ValidationError(
                {"email": [_("An account with this email already exists.")]}, code="unique"
            ) from None
        return Response(
            {"user": MeSerializer(user).data, "tokens": token_pair_for(user)}, status=status.HTTP_201_CREATED
        )


class LoginView(TokenObtainPairView):
    serializer_class = LoginSerializer
    throttle_classes = AUTH_THROTTLES

    @extend_schema(
        summary="Sign in: email and password for a token pair",
        tags=["auth"],
        request=LoginRequestSerializer,
        responses={200: TokenPairSerializer},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class RefreshView(TokenRefreshView):
    throttle_classes = AUTH_THROTTLES

    @extend_schema(
        summary="Exchange a refresh token for a new pair (the old refresh token is revoked)",
        tags=["auth"],
        request=RefreshRequestSerializer,
        responses={200: TokenPairSerializer},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class LogoutView(NoAuthenticationMixin, generics.GenericAPIView):
    """Revokes a refresh token. The refresh token is the credential, so an expired access token is no obstacle."""

    permission_classes = [AllowAny]
    throttle_classes = AUTH_THROTTLES
    serializer_class = TokenBlacklistSerializer

    @extend_schema(
        summary="Sign out: revoke a refresh token",
        tags=["auth"],
        request=RefreshRequestSerializer,
        responses={204: None},
        auth=[],
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as error:
            raise InvalidToken(error.args[0]) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = MeSerializer

    @extend_schema(summary="My account", tags=["me"], responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(
        summary="Update my name or buyer profile", tags=["me"], request=MeUpdateSerializer, responses=MeSerializer
    )
    def patch(self, request):
        serializer = MeUpdateSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = serializer.save()
        return Response(MeSerializer(user).data)
