"""servicio_sucursales project configuration."""
