"""The draw: a seeded lottery per stratum that any observer can re-run (DESIGN.md section 4)."""
