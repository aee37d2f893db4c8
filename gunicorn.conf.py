"""gunicorn settings, read automatically when gunicorn starts in this folder."""


def post_worker_init(worker):
    """Load the tone model before the worker takes requests, so the first comment a
    worker sees is not slowed by the model loading."""
    from moderation.analysis import analyze

    analyze("warm up")
