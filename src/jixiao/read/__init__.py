"""Read stage: a file on disk becomes raw sheets whose every value knows its cell."""
