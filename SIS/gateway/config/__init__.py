"""gateway project configuration."""
