import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The search vocabulary and the Chinese segmenter load now, not during a buyer's first search (~1.7 s).
from search.query import warm_up  # noqa: E402

warm_up()
