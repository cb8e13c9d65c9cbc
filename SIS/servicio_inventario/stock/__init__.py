"""The stock app of servicio_inventario."""
