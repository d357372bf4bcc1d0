"""mockazure: a local emulator of the Azure OpenAI Service data-plane REST API."""

__version__ = "0.1.0"

from mockazure.app import create_app
from mockazure.config import Settings

__all__ = ["Settings", "__version__", "create_app"]
