"""Request and response schemas: ``common`` for the shared types, one module per domain."""
