from tests.fakes.postgres import database_url, postgres_cluster, postgres_url  # noqa: F401
