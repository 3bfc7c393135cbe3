"""Backups: the database and the uploaded documents in one archive, and its restore on an empty
installation (`flask backup create` / `flask backup restore`, in `cli.py`).

The archive (`archive.py`) holds each table as JSON lines (`rows.py`), independent of the database
it came from, each document under its stored name, and a manifest: the migration revision, every
table's columns, row count and SHA-256, every document's SHA-256 and the heads of the audit log
and of each draw log. `create.py` reads everything in one snapshot; `restore.py` loads it and
checks the result against the manifest."""
