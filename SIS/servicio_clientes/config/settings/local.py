"""Settings for the local stack started by bin/up."""
from .base import *  # noqa: F401,F403
