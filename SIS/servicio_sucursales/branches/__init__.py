"""Branches (sucursales): the shops of the company."""
