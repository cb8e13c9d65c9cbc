"""Stateless trust of servicio_auth's tokens: authentication, principal and permissions."""
