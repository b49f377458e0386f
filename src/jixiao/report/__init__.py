"""Report stage: reporters format a finished Report and never compute anything."""
