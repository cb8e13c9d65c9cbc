"""JWT authentication by signature alone: no database lookup, no call to servicio_auth."""
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication


class StatelessJWTAuthentication(JWTStatelessUserAuthentication):
    www_authenticate_realm = "ewtto"
