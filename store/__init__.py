"""The store: SQLModel tables, the engine, migrations and the queries the API reads.

Its read and write functions never commit: the caller owns the transaction and ends it
with ``db.session_scope`` (the command, the worker) or a commit (the API, after writing an
access row; ``db.release`` before it waits on Temporal).
"""
