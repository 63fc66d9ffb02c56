import Testing

/// Every test that needs a real PostgreSQL (`CHURN_TEST_POSTGRES_URL`), one at a time: the restart
/// test stops the server, which would break tests running beside it. Each test makes its own
/// database (`PostgresTestDatabase`).
@Suite(
    "PostgreSQL metadata store", .serialized, .enabled(if: PostgresTestDatabase.enabled, "set CHURN_TEST_POSTGRES_URL"))
struct PostgresStoreTests {}
