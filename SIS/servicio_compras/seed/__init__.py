"""Seed and demo data of servicio_compras (bin/up's ewtto_bootstrap)."""
