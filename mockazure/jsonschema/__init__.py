"""jsonschema."""
