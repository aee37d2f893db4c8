"""The JSON API: the signed comment webhook, suggestions, and the OpenAPI document."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import (  # noqa: E402,F401  (routes register on import)
    openapi,
    openapi_integrations,  # noqa: E402,F401  (Perspective and Coral in the document)
    suggestions,
    webhook,
)
