"""Suppliers (proveedores): who the company buys from, and what each sells it at which cost."""
