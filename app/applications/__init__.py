"""Online applications: a young person's draft over several visits, documents, submission."""
