# mockazure: the Azure OpenAI data-plane emulator as a container.
#   docker build -t mockazure . && docker run -p 8000:8000 mockazure
# BASE_IMAGE may be any Debian-like image with python3 and its venv module (the official
# python:*-slim images, or plain Debian + python3-venv).
ARG BASE_IMAGE=python:3.12-slim

FROM ${BASE_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python3 -m venv /opt/mockazure
WORKDIR /src
COPY pyproject.toml README.md ./
COPY fixtures/deployments.json fixtures/deployments.json
COPY mockazure mockazure
# The redis client is a plain dependency, so `--store redis://...` works in the scale profile.
RUN /opt/mockazure/bin/pip install --no-cache-dir . \
 && find /opt/mockazure -name '__pycache__' -prune -exec rm -rf {} + \
 && /opt/mockazure/bin/python -m compileall -q /opt/mockazure/lib >/dev/null \
 && rm -rf /opt/mockazure/lib/python3*/site-packages/pip* /opt/mockazure/bin/pip*

FROM ${BASE_IMAGE}
# HTTP on 8000; HTTPS on 8443 with a local CA made at start under /tmp/mockazure (fetch the CA
# from GET /_mock/tls/ca.pem; README "HTTPS"). MOCKAZURE_TLS_PORT= (empty) turns it off.
ENV PATH=/opt/mockazure/bin:$PATH PYTHONUNBUFFERED=1 \
    MOCKAZURE_HOST=0.0.0.0 MOCKAZURE_PORT=8000 \
    MOCKAZURE_TLS_PORT=8443 MOCKAZURE_DATA_DIR=/tmp/mockazure
COPY --from=build /opt/mockazure /opt/mockazure
COPY fixtures /app/fixtures
COPY docker/entrypoint.sh /usr/local/bin/mockazure-entrypoint
RUN useradd --uid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin mockazure
WORKDIR /app
USER 10001
EXPOSE 8000 8443
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["python3", "-c", "import os,sys,urllib.request as u; r=u.urlopen('http://127.0.0.1:%s/_mock/health' % os.environ.get('MOCKAZURE_PORT', '8000'), timeout=2); sys.exit(r.status != 200)"]
ENTRYPOINT ["mockazure-entrypoint"]
CMD ["mockazure", "serve", "--host", "0.0.0.0", "--port", "8000"]
