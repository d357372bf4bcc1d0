#!/bin/sh
# The image binds 0.0.0.0, and mockazure refuses that without an admin key for the /_mock/
# control API. With no MOCKAZURE_ADMIN_KEY given, make a random one and print it (see
# `docker logs`), so `docker run -p 8000:8000 IMAGE` works and the control API stays guarded.
set -e
if [ -z "${MOCKAZURE_ADMIN_KEY:-}" ]; then
  MOCKAZURE_ADMIN_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
  export MOCKAZURE_ADMIN_KEY
  echo "mockazure: /_mock/ control API admin key: $MOCKAZURE_ADMIN_KEY (header x-mock-admin-key; set MOCKAZURE_ADMIN_KEY to choose it)" >&2
fi
exec "$@"
