"""Bearer authentication inside servicio_auth: the token as everywhere, then the user's current row."""
from rest_framework.exceptions import AuthenticationFailed

from sis_common.auth.authentication import StatelessJWTAuthentication

from . import selectors


class UserJWTAuthentication(StatelessJWTAuthentication):
    """The signature check other services make, plus what only this service can check:
    the user still exists and is active, and its role is the one in the database now."""

    def get_user(self, validated_token):
        user = selectors.user_for_request(user_id=validated_token.get("user_id"))
        if user is None:
            raise AuthenticationFailed("User not found.", code="user_not_found")
        if not user.is_active:
            raise AuthenticationFailed("User is inactive.", code="user_inactive")
        return user
