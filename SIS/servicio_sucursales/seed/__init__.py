"""Seed and demo data of servicio_sucursales (bin/seed-data, bin/up's ewtto_bootstrap): demo and synthetic branches."""
