"""The accounts app of servicio_auth."""
