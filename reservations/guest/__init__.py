"""Guests' self-service links: a signed URL to look at and cancel one reservation."""
