"""The refusals of sign-in and tokens: JSON 401s with stable codes."""
from sis_common.errors import DomainError


class InvalidCredentials(DomainError):
    def __init__(self):
        super().__init__("No active account found with the given credentials.", "no_active_account", 401)


class TokenInvalid(DomainError):
    def __init__(self, detail: str = "Token is invalid or expired."):
        super().__init__(detail, "token_not_valid", 401)


class UserInactive(DomainError):
    def __init__(self):
        super().__init__("No active account found for the given token.", "user_inactive", 401)
