"""servicio_inventario project configuration."""
