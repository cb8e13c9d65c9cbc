"""Serializers of the auth API: bounded input, so bad input is a 400 and never a 500."""
from django.contrib.auth.validators import UnicodeUsernameValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sis_common.query import QuerySerializer

from .models import ROLE_CHOICES, User

USERNAME_MAX = 150
PASSWORD_MAX = 1024  # hashing a megabyte-long password is a cheap way to burn our CPU
TOKEN_MAX = 8192
BRANCHES_MAX = 1000
BRANCH_ID_MAX = 2**53  # what every JSON client can hold exactly


@extend_schema_field({"anyOf": [{"type": "string", "format": "email", "maxLength": 254},
                               {"type": "string", "maxLength": 0}]})
class BlankableEmailField(serializers.EmailField):
    """An e-mail address or "" (none given): what the schema says of `email`, in requests and answers."""


def pin_field(**kwargs) -> serializers.RegexField:
    """A POS PIN: 4 to 8 ASCII digits, write-only (stored hashed, never answered)."""
    return serializers.RegexField(r"^[0-9]{4,8}$", max_length=8, min_length=4, write_only=True, trim_whitespace=False,
                                  help_text="POS PIN: 4 to 8 digits; stored hashed, never answered.", **kwargs)


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=USERNAME_MAX)
    password = serializers.CharField(max_length=PASSWORD_MAX, trim_whitespace=False, write_only=True)


class RefreshSerializer(serializers.Serializer):
    # a token is opaque: trimmed, a value the schema calls valid ("\u001e") would be refused as blank
    refresh = serializers.CharField(max_length=TOKEN_MAX, trim_whitespace=False)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


def branch_list_field(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=BRANCH_ID_MAX),
                                 max_length=BRANCHES_MAX, **kwargs)


class MeSerializer(serializers.ModelSerializer):
    branches = serializers.SerializerMethodField()
    email = BlankableEmailField(read_only=True)
    has_pin = serializers.BooleanField(read_only=True, help_text="A POS PIN is set (the PIN itself is never shown).")

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "role", "branches", "is_staff", "has_pin"]
        read_only_fields = fields

    def get_branches(self, user) -> list[int]:
        return user.branch_list()


class UserSerializer(MeSerializer):
    class Meta(MeSerializer.Meta):
        fields = [*MeSerializer.Meta.fields, "is_active", "date_joined", "last_login"]
        read_only_fields = fields


class UserCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=USERNAME_MAX, validators=[UnicodeUsernameValidator()])
    password = serializers.CharField(max_length=PASSWORD_MAX, trim_whitespace=False, write_only=True)
    email = BlankableEmailField(max_length=254, required=False, allow_blank=True, default="")
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=ROLE_CHOICES)
    branches = branch_list_field(required=False, default=list)
    pin = pin_field(required=False)


class UserUpdateSerializer(serializers.Serializer):
    email = BlankableEmailField(max_length=254, required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=ROLE_CHOICES, required=False)
    branches = branch_list_field(required=False)
    is_active = serializers.BooleanField(required=False)
    password = serializers.CharField(max_length=PASSWORD_MAX, trim_whitespace=False, write_only=True, required=False)
    pin = pin_field(required=False)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=PASSWORD_MAX, trim_whitespace=False, write_only=True)
    new_password = serializers.CharField(max_length=PASSWORD_MAX, trim_whitespace=False, write_only=True)


class PinSetSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=PASSWORD_MAX, trim_whitespace=False, write_only=True)
    pin = pin_field()


class ApprovalSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=USERNAME_MAX)
    pin = serializers.CharField(max_length=64, trim_whitespace=False, write_only=True)
    branch = serializers.IntegerField(min_value=1, max_value=BRANCH_ID_MAX)


class ApproverSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    role = serializers.CharField()


class UserFilterSerializer(QuerySerializer):
    search = serializers.CharField(required=False, max_length=100, allow_blank=True)
    role = serializers.ChoiceField(choices=ROLE_CHOICES, required=False)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)
    branch = serializers.IntegerField(required=False, min_value=1, max_value=BRANCH_ID_MAX)
