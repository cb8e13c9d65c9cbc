"""JWT authentication by signature alone: no database lookup, no call to servicio_auth."""
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication

from .tokens import TokenRejected, bearer_token, verify_access


class StatelessJWTAuthentication(JWTStatelessUserAuthentication):
    """`Authorization: Bearer <access>` checked with the public key; request.user is a Principal."""

    www_authenticate_realm = "ewtto"

    def get_raw_token(self, header: bytes) -> bytes | None:
        try:
            return bearer_token(header)
        except TokenRejected as exc:
            raise AuthenticationFailed(detail=exc.detail, code=exc.code) from exc

    def get_validated_token(self, raw_token: bytes) -> dict:
        # the same check as the gateway's edge, so a token refused there is refused here too
        try:
            return verify_access(raw_token)
        except TokenRejected as exc:
            raise AuthenticationFailed(detail=exc.detail, code=exc.code) from exc


from . import schema  # noqa: E402,F401  (registers the OpenAPI description of this authentication)
