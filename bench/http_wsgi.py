"""WSGI entry of the HTTP benchmark's server: yuanqu's application under ``bench.http_settings``.

Served as ``gunicorn bench.http_wsgi:application`` with the project directory (not ``bench/``) on the
Python path: ``bench/http.py`` would otherwise shadow the standard library's ``http`` package.
"""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.http_settings"

from yuanqu.wsgi import application

__all__ = ["application"]
