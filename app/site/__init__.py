"""Site-wide pages: home, FAQ, contacts, language switch, health check, error pages, headers."""
