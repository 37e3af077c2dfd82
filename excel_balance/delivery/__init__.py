"""Delivery: per-unit workbooks, jinja2 messages, SMTP with a ledger so nothing is sent twice."""
