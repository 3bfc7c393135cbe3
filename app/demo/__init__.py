"""Demo data: a call like ZHAS PROJECT 2023 and staff accounts to try the system with."""
