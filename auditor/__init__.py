"""casenote-auditor: audits the quality of recording in children's social care case files."""

__version__ = "0.1.0"
