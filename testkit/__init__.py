"""The test kit: what the test suites (tests/) and the benchmarks (bench/) both drive the
product with, and nothing else; product code never imports it (it is not shipped).

- samples: a sample hire, as the API takes it (hire_body) and as the workflow starts
  (hire_input), and sample uploads (PDF, PNG)
- api_client: a generic API client that drives any hire to its end from
  GET /api/v1/pathways alone (its outcome choice and field values)
- workflow_driver: a hire on the time-skipping server driven the way HR would (Hire,
  start) and the task queue its worker polls (Queue)
- postgres: a throwaway PostgreSQL server (initdb and pg_ctl in a temporary directory)
"""
