"""HTTPS: the local CA and certificate (`certificates`), and serving with them (`serving`)."""
