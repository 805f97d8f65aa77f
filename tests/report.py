"""Lines the checks add for the closing summary (printed by tests/conftest.py)."""

REPORT = []
