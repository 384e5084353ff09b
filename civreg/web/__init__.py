"""The web application of `civreg serve`: review and search pages, the JSON API.

The only package that imports the web framework (FastAPI, Jinja2 templates)."""

from civreg.web.app import create_app

__all__ = ["create_app"]
