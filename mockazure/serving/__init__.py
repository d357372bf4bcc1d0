"""Per-family work between the routers and the pure generators."""
