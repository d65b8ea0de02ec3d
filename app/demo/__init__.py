"""Demo data for trying the application: a province, its cooperatives and one log-in per role."""
