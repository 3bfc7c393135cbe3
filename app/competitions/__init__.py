"""Competitions ("calls"): window, age rule, grant cap, required documents, strata and quotas."""
