"""Cloaking backends: ``http`` (an external service) and ``encoder`` (built in, needs torch)."""
