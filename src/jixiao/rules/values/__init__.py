"""Rules of the values group."""
