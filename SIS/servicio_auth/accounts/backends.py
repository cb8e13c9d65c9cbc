"""Password sign-in inside servicio_auth (API tokens and its own admin); auditors may only look."""
from django.contrib.auth.backends import ModelBackend

from sis_common.auth.roles import READ_ONLY_ROLES
from sis_common.auth.staff import ReadOnlyStaffMixin


class RoleModelBackend(ReadOnlyStaffMixin, ModelBackend):
    def is_read_only_staff(self, user_obj) -> bool:
        return getattr(user_obj, "role", "") in READ_ONLY_ROLES
