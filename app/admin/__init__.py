"""The administrators' area: staff accounts, the organisation's details and the audit log."""
