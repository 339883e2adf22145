# The portal's image: the migrations, web (gunicorn), the Celery workers and beat all run from it
# (docker-compose.yml); nginx runs from its own image with deploy/nginx/portal.conf.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango for WeasyPrint; HarfBuzz's subsetter makes PDFs ~10x faster. The CJK font ships in static/fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
# Static files are part of the image: hashed, compressed names served by WhiteNoise from every web replica
# (and cached by nginx), so a new image never meets the files of an old one in a shared volume. The build
# needs a key, never used at run time.
RUN SECRET_KEY=collectstatic-only AUDIT_HMAC_KEY=collectstatic-only-not-a-real-audit-key-0000 DEBUG=false \
    python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --home /app portal \
    && mkdir -p var/private var/audit-checkpoints var/beat \
    && chown -R portal var

USER portal
EXPOSE 8000
# Without a command from docker-compose.yml: the web process. Workers' heartbeats on a RAM disk (a slow
# container disk would make gunicorn think a busy worker is stuck).
CMD ["gunicorn", "foreign_affairs.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "2", "--timeout", "60", "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-"]
