"""Technical screening: the office checks every submitted application against the rules."""
