"""The gateway's edge: proxying to services and aggregating their health."""
