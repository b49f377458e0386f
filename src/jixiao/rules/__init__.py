"""Rules: one module per rule, grouped by subject; see registry.py."""
