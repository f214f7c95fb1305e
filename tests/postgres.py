"""`python -m tests.postgres run -- <command>` (.ci/run): testkit/postgres.py's server."""

import sys

from testkit.postgres import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
