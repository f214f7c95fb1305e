"""The kernel: settings, encryption, the Temporal connection and the template filters.

Above ``contracts`` and below the store; every entry point (``hirepath``), the API, the
activities and the store build on it, and it imports none of them."""
