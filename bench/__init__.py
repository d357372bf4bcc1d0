"""mockazure benchmarks (not tests): `python -m bench --help`."""
