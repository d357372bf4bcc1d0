"""stubs."""
