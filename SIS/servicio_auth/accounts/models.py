"""Users of E-WTTO: one role each, and the branch IDs a scoped role may act on.

Branch scopes live in their own table (one row per user and branch) rather than a
JSON column: each scope is unique by constraint and "who may act on branch 3"
is a plain indexed query. Branch IDs are servicio_sucursales' IDs, kept as plain
integers (no cross-database foreign key). Admins and auditors act on every
branch and keep no rows.
"""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from sis_common.auth.principal import as_branch_id
from sis_common.auth.roles import (ADMIN, ALL_BRANCHES_ROLES, AUDITOR, CASHIER, MANAGER, PURCHASER, STAFF_ROLES,
                                   WAREHOUSE)

ROLE_CHOICES = [(ADMIN, "Administrator"), (MANAGER, "Manager"), (CASHIER, "Cashier"),
                (WAREHOUSE, "Warehouse"), (AUDITOR, "Auditor"), (PURCHASER, "Purchaser")]


class AccountManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(max_length=16, choices=ROLE_CHOICES, default=CASHIER, db_index=True)
    # the POS PIN a manager types to approve at a till, hashed like a password ("" = none set)
    pin = models.CharField(max_length=128, blank=True, default="")

    objects = AccountManager()

    class Meta:
        ordering = ["id"]

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._loaded_credentials = (user.__dict__.get("password"), user.__dict__.get("is_active"))
        return user

    def save(self, *args, **kwargs):
        # the Django-admin flags always follow the role, whoever saves the user
        self.is_staff = self.role in STAFF_ROLES
        self.is_superuser = self.role == ADMIN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff", "is_superuser"}
        super().save(*args, **kwargs)
        # a new password (API, admin form, reset, manage.py changepassword) or a disabled account
        # ends every session, whoever saved it: one rule, here
        password, active = getattr(self, "_loaded_credentials", (self.password, self.is_active))
        if (password is not None and self.password != password) or (active and not self.is_active):
            from .tokens import user_sessions_revoke

            user_sessions_revoke(user=self, reason="credentials_changed")
        self._loaded_credentials = (self.password, self.is_active)

    @property
    def all_branches(self) -> bool:
        return self.role in ALL_BRANCHES_ROLES

    @property
    def has_pin(self) -> bool:
        return bool(self.pin)

    @property
    def display_name(self) -> str:
        """First and last name, or the username when both are empty: what receipts and approvals show."""
        return self.get_full_name() or self.username

    @property
    def branches(self) -> frozenset[int]:
        return frozenset(scope.branch_id for scope in self.branch_scopes.all())

    def branch_list(self) -> list[int]:
        return [] if self.all_branches else sorted(self.branches)

    def may_act_on(self, branch_id) -> bool:
        number = as_branch_id(branch_id)
        return number is not None and (self.all_branches or number in self.branches)


class PinFailure(models.Model):
    """One wrong approval at a till for a username (folded as sign-in failures are): the PIN lockout counts these."""

    username = models.CharField(max_length=150)
    failed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["username", "failed_at"], name="pin_failure_username_time")]

    def __str__(self) -> str:
        return f"PIN failure of {self.username} at {self.failed_at}"


class UserBranch(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="branch_scopes")
    branch_id = models.PositiveBigIntegerField(db_index=True)

    class Meta:
        ordering = ["branch_id"]
        constraints = [models.UniqueConstraint(fields=["user", "branch_id"], name="accounts_userbranch_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} -> branch {self.branch_id}"


class SignInOrigin(models.Model):
    """A username signed in successfully from an address: its users keep signing in when that address is locked.

    Keyed by the folded username (as the lockout counts it), not the user row, so it
    needs no join and a renamed user starts afresh.
    """

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField()
    last_success = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["username", "address"], name="accounts_signinorigin_unique")]

    def __str__(self) -> str:
        return f"{self.username} from {self.address}"


class SessionFamily(models.Model):
    """One sign-in and every refresh token rotated from it: they live and die together.

    A refresh token carries its family's id (claim `sid`). A replayed, already rotated
    token revokes the family (someone holds a copy), and no refresh outlives `ends_at`
    however often the session is refreshed.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="session_families")
    started_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"], name="session_family_user_live")]

    def __str__(self) -> str:
        return f"session {self.pk} of user {self.user_id}"
