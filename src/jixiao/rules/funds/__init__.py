"""Rules of the funds group."""
