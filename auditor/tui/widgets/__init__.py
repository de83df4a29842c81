"""The review app's widgets, one module each, named by their role."""
