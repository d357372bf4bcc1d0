"""The per-request work budget (`work.py`)."""
