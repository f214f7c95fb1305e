"""The FastAPI service: JSON API (and, later, the HTML pages) over the same services."""
