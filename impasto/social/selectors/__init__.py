"""Every read of social content goes through these modules (see docs/social.md)."""
