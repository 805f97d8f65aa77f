"""Helpers shared by the test suite and the scripts (standard library only at import time; a few, such as page_types, read the database when called)."""
