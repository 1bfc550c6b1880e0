"""Every write of the social app goes through these modules (see docs/social.md)."""
