"""Score stage: recompute every score by the rules of the profile."""
