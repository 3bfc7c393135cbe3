"""Outgoing e-mail through a transactional outbox: a message is a row committed with the change
that causes it, and a sender delivers pending rows over SMTP (or to .eml files in development)."""
