"""Rules of the indicators group."""
