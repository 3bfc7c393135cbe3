"""Why a backup or a restore cannot go ahead; the message says it in words for the operator."""


class BackupError(Exception):
    exit_code = 1


class ArchiveError(BackupError):
    """The file is not a backup that this code can restore (not an archive, cut short, changed,
    or made by a version whose migrations this code does not have)."""


class InstallationRefused(BackupError):
    """The installation cannot take this restore as it is: its database is not empty, or not at
    the archive's migration revision."""

    exit_code = 2
