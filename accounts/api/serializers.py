"""Accounts over the API: registration, tokens, and the signed-in user's own profile."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer

from core.api.fields import LanguageField, StrictCharField, StrictStringMixin

from .. import services
from ..currencies import DEFAULT_CURRENCY, TRADE_CURRENCIES
from ..models import BuyerProfile, User


class CodeField(StrictStringMixin, serializers.CharField):
    """An upper-case code from a fixed set ("br" is taken as "BR"); anything else is a 400 naming the field.
    `codes` and `message` are callables: the set and the message are read when a request is checked (in its
    language), not when the module is imported."""

    def __init__(self, *, codes, message, **kwargs):
        self.codes, self.message = codes, message
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data).strip().upper()
        if value not in self.codes():
            raise serializers.ValidationError(self.message(), code="invalid_choice")
        return value


@extend_schema_field({"type": "string", "enum": [code for code, _name in countries]})
class CountryField(CodeField):
    """django-countries' list (ISO 3166-1), as the sign-up form offers it; the schema lists the codes."""

    def __init__(self, **kwargs):
        super().__init__(
            codes=lambda: countries,
            message=lambda: _("Not a country code we know: send ISO 3166-1 alpha-2, such as DE."),
            help_text="ISO 3166-1 alpha-2 country code, e.g. DE.",
            **kwargs,
        )


@extend_schema_field({"type": "string", "enum": list(TRADE_CURRENCIES)})
class CurrencyField(CodeField):
    def __init__(self, **kwargs):
        super().__init__(
            codes=lambda: TRADE_CURRENCIES,
            message=lambda: (
                _("Not a currency we offer: choose one of %(codes)s.") % {"codes": ", ".join(TRADE_CURRENCIES)}
            ),
            help_text=f"One of the trade currencies: {', '.join(TRADE_CURRENCIES)}.",
            **kwargs,
        )


class StrictEmailField(StrictStringMixin, serializers.EmailField):
    pass


class StrictChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class BuyerProfileSerializer(serializers.ModelSerializer):
    company_name = StrictCharField(max_length=200)
    country = CountryField()
    preferred_language = LanguageField()
    preferred_currency = CurrencyField()
    phone = StrictCharField(max_length=40, allow_blank=True)

    class Meta:
        model = BuyerProfile
        fields = ["company_name", "country", "preferred_language", "preferred_currency", "phone"]


class SupplierMembershipSerializer(serializers.Serializer):
    """The supplier a seller account works for (read through the reverse relation: accounts imports no app)."""

    slug = serializers.CharField(source="supplier.slug")
    name = serializers.CharField(source="supplier.name")
    role = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    profile = serializers.SerializerMethodField(help_text="The buyer profile; null for accounts without one.")
    supplier = serializers.SerializerMethodField(help_text="The supplier a seller account works for; else null.")

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "date_joined", "profile", "supplier"]
        read_only_fields = fields

    @extend_schema_field(BuyerProfileSerializer(allow_null=True))
    def get_profile(self, user):
        profile = getattr(user, "buyer_profile", None)
        return BuyerProfileSerializer(profile).data if profile else None

    @extend_schema_field(SupplierMembershipSerializer(allow_null=True))
    def get_supplier(self, user):
        membership = getattr(user, "supplier_membership", None)
        return SupplierMembershipSerializer(membership).data if membership else None


class MeUpdateSerializer(serializers.Serializer):
    first_name = StrictCharField(max_length=150, required=False)
    last_name = StrictCharField(max_length=150, required=False)
    profile = BuyerProfileSerializer(required=False, partial=True)

    def validate_profile(self, value):
        if value and getattr(self.instance, "buyer_profile", None) is None:
            raise serializers.ValidationError(_("This account has no buyer profile."), code="no_profile")
        return value

    def update(self, user, validated_data):
        profile_data = validated_data.pop("profile", None) or {}
        return services.buyer_account_update(user=user, fields=validated_data, profile_fields=profile_data)


class RegisterSerializer(serializers.Serializer):
    email = StrictEmailField(max_length=254)
    password = StrictCharField(write_only=True, max_length=128, trim_whitespace=False, style={"input_type": "password"})
    first_name = StrictCharField(max_length=150)
    last_name = StrictCharField(max_length=150)
    company_name = StrictCharField(max_length=200)
    country = CountryField()
    preferred_language = LanguageField(default="en")
    preferred_currency = CurrencyField(default=DEFAULT_CURRENCY)

    def validate_email(self, value):
        value = value.lower()
        if User.objects.filter(email__iexact=value).exists():
            raise serializers.ValidationError(_("An account with this email already exists."), code="unique")
        return value

    def validate(self, attrs):
        # Django's password validators, including "too similar to your email or name".
        candidate = User(email=attrs["email"], first_name=attrs["first_name"], last_name=attrs["last_name"])
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as error:
            # Each validator's own code (password_too_short, password_too_common, ...), so clients can tell them apart.
            raise serializers.ValidationError(
                {
                    "password": [
                        ErrorDetail(message, code=item.code or "password")
                        for item in error.error_list
                        for message in item.messages
                    ]
                }
            ) from None
        return attrs


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="Short-lived; send as `Authorization: Bearer <access>`.")
    refresh = serializers.CharField(help_text="Long-lived; exchange at /auth/token/refresh/, revoke at /auth/logout/.")


class RegisterResponseSerializer(serializers.Serializer):
    user = MeSerializer()
    tokens = TokenPairSerializer()


class LoginSerializer(TokenObtainPairSerializer):
    """Email and password for a token pair; emails are matched the way they are stored (lowercase)."""

    def validate(self, attrs):
        attrs[self.username_field] = attrs[self.username_field].lower()
        return super().validate(attrs)


class LoginRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"})


class RefreshRequestSerializer(serializers.Serializer):
    refresh = serializers.CharField()
