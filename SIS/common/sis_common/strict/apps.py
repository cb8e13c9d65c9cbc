"""Installs sis_common.strict when Django starts."""
from django.apps import AppConfig


class StrictTypesConfig(AppConfig):
    name = "sis_common.strict"
    label = "sis_common_strict"

    def ready(self):
        from . import install

        install()
