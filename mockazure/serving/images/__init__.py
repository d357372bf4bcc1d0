"""serving.images."""
