"""The overnight run: stream records in, audit changed cases in parallel, write the database."""
