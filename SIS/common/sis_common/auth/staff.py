"""Django admin permissions of read-only staff (auditors): every view permission and nothing else."""
from __future__ import annotations


class ReadOnlyStaffMixin:
    """Mixed into a ModelBackend; subclasses say who is read-only staff."""

    def is_read_only_staff(self, user_obj) -> bool:
        raise NotImplementedError

    def _read_only(self, user_obj) -> bool:
        return bool(user_obj.is_active and user_obj.is_staff and not user_obj.is_superuser
                    and self.is_read_only_staff(user_obj))

    def has_perm(self, user_obj, perm, obj=None):
        if self._read_only(user_obj):
            return perm.rpartition(".")[2].startswith("view_")
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if self._read_only(user_obj):
            return True
        return super().has_module_perms(user_obj, app_label)
