"""E-WTTO shared library: the few things every Django project of the system needs."""
