"""Readers, one per source format. Each yields plain records and raises InputError with a position."""
