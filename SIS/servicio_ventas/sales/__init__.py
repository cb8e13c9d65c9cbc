"""The sales app of servicio_ventas."""
