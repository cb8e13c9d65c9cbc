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

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "role", "branches", "is_staff"]
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


class UserUpdateSerializer(serializers.Serializer):
    email = BlankableEmailField(max_length=254, required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=ROLE_CHOICES, required=False)
    branches = branch_list_field(required=False)
    is_active = serializers.BooleanField(required=False)
    password = serializers.CharField(max_length=PASSWORD_MAX, trim_whitespace=False, write_only=True, required=False)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=PASSWORD_MAX, trim_whitespace=False, write_only=True)
    new_password = serializers.CharField(max_length=PASSWORD_MAX, trim_whitespace=False, write_only=True)


class UserFilterSerializer(QuerySerializer):
    search = serializers.CharField(required=False, max_length=100, allow_blank=True)
    role = serializers.ChoiceField(choices=ROLE_CHOICES, required=False)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)
    branch = serializers.IntegerField(required=False, min_value=1, max_value=BRANCH_ID_MAX)
