"""App configuration of the accounts app."""
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import lockout

        # after axes' own receiver (axes is installed first), so the address is known
        user_login_failed.connect(lockout.log_failure, dispatch_uid="accounts.log_failure")
        user_locked_out.connect(lockout.log_lockout, dispatch_uid="accounts.log_lockout")
        user_logged_in.connect(lockout.remember_origin, dispatch_uid="accounts.remember_origin")
