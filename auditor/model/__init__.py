"""The scikit-learn side: features, training, the artefact, and the detector."""
