"""Use cases as plain functions taking a session: views and CLI commands call these."""
