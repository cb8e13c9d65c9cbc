"""servicio_auth project configuration."""
