"""mockazure: a local emulator of the Azure OpenAI Service data-plane REST API.

`create_app` and `Settings` are resolved on first use (PEP 562), so importing a small module
(`mockazure.clock`, the pytest plugin) does not load the app, fastapi, PIL or tiktoken.
"""

from typing import Any

__version__ = "0.1.0"

__all__ = ["Settings", "__version__", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from mockazure.app import create_app

        return create_app
    if name == "Settings":
        from mockazure.config import Settings

        return Settings
    raise AttributeError(f"module 'mockazure' has no attribute {name!r}")
