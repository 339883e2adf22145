"""WSGI entry point (gunicorn foreign_affairs.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foreign_affairs.settings")

application = get_wsgi_application()
