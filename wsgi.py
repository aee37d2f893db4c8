"""WSGI entry point: gunicorn 'wsgi:app', flask --app wsgi."""
from moderation import create_app

app = create_app()
