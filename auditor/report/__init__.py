"""The morning report: HTML for managers, with CSV and JSON summaries."""
