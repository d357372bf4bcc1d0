"""Worker processes of `mockazure serve --workers N` (`workers/sockets.py`)."""
