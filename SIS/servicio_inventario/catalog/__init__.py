"""The catalog app of servicio_inventario."""
