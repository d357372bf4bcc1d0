"""Per-family work between the routers and the generators (vLLM's serving_*.py)."""
