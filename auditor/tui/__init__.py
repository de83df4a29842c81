"""The Textual review app: the only package that imports textual (see tests/core/test_import_hygiene.py)."""
