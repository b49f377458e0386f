"""Rules of the structure group."""
