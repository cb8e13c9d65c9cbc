"""servicio_compras project configuration."""
