"""Seed and demo data of servicio_clientes (bin/up's ewtto_bootstrap)."""
