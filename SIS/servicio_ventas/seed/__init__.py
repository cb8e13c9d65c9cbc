"""Seed data of servicio_ventas (bin/seed-data): synthetic completed sales."""
