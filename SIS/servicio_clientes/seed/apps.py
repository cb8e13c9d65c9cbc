"""App configuration of the seed app: bin/seed-data's and bin/up's data commands, apart from the domain apps."""
from django.apps import AppConfig


class SeedConfig(AppConfig):
    name = "seed"
