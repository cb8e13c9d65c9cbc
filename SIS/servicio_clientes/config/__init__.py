"""servicio_clientes project configuration."""
