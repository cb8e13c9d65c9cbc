"""servicio_ventas project configuration."""
