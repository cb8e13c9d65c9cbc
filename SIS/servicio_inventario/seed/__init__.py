"""Seed and demo data of servicio_inventario (bin/seed-data, bin/up's ewtto_bootstrap): demo and synthetic catalogue, stock and sales' stock moves."""
