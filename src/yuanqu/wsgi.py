import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
application = get_wsgi_application()
# Load the URLconf (and with it every view and the API's schemas, about half a second) when the
# worker starts, so that the first person a new worker serves does not wait for it.
_url_patterns = get_resolver().url_patterns
