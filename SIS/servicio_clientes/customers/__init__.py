"""Customers (clientes): who the company sells to, by their identity document, and their personal data."""
