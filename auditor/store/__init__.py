"""The SQLite database shared by the overnight batch and the review app."""
