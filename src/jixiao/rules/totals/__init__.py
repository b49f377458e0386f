"""Rules of the totals group."""
