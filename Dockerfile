# The Diming application image: Debian 12 with the distribution's GDAL/GEOS/PROJ, served by granian (WSGI).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DIMING_PROFILE=production DIMING_VAR_DIR=/var/lib/diming
RUN apt-get update && apt-get install -y --no-install-recommends gdal-bin gettext nodejs npm postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock package.json package-lock.json ./
RUN pip install --no-cache-dir -r requirements.lock && npm ci --no-audit --no-fund --loglevel=error
COPY . .
RUN DJANGO_SECRET_KEY=build-only python manage.py compilemessages --ignore=node_modules -v 0 \
    && DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build python manage.py collectstatic --noinput -v 0
RUN useradd --system --home /var/lib/diming diming \
    && mkdir -p /var/lib/diming/media /var/lib/diming/backups && chown -R diming /var/lib/diming \
    && chmod 700 /var/lib/diming/backups  # named volumes take these owners when first mounted
USER diming
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py createcachetable && exec granian --interface wsgi config.wsgi:application --host 0.0.0.0 --port 8000 --workers ${WEB_WORKERS:-2} --blocking-threads ${WEB_THREADS:-4} --respawn-failed-workers --access-log"]
