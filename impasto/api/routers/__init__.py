"""One router per domain, mounted by ``impasto.api.v1``. See docs/api.md, "Adding a router"."""
