import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from tiles.fastlane import TileFastLane  # noqa: E402 - needs the configured Django above

# Anonymous requests for cached tiles are answered before Django's handler (see tiles.fastlane).
application = TileFastLane(django_application)
