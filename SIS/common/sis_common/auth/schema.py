"""OpenAPI description of the bearer authentication, so every service's schema names it."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class StatelessJWTScheme(OpenApiAuthenticationExtension):
    target_class = "sis_common.auth.authentication.StatelessJWTAuthentication"
    match_subclasses = True
    name = "jwtAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="AUTHORIZATION", token_prefix="Bearer",
                                                   bearer_format="JWT")
