"""Seed and demo data of servicio_auth (bin/seed-data, bin/up's ewtto_bootstrap): the first admin, demo and synthetic users."""
