"""The backup file: a gzipped tar of `tables/<table>.jsonl`, `documents/<stored name>` and, last,
`manifest.json`, which gives the SHA-256 of every other member. Written to a temporary name
readable by the owner only and renamed when complete; read back member by member into a folder,
refusing anything this module would not have written."""
import gzip
import hashlib
import json
import os
import re
import shutil
import tarfile
import tempfile
import time
import zlib
from contextlib import contextmanager
from pathlib import Path

from app import storage
from app.backup.contents import file_sha256
from app.backup.errors import ArchiveError

FORMAT = "grants-backup/1"
MANIFEST = "manifest.json"
TABLES, DOCUMENTS = "tables", "documents"
_TABLE_FILE = re.compile(r"^[a-z_][a-z0-9_]*\.jsonl$")
_SPOOL_BYTES = 16 * 1024 * 1024  # a table's rows stay in memory up to this size
# Documents are PDFs and JPEGs, compressed already: a lighter level is as small and much faster.
_COMPRESSION = 6


class _Hashing:
    """Reads a file, computing its SHA-256 on the way (tarfile reads each member once)."""

    def __init__(self, file):
        self.file, self.digest = file, hashlib.sha256()

    def read(self, size=-1):
        data = self.file.read(size)
        self.digest.update(data)
        return data


class Writer:
    def __init__(self, tar):
        self.tar = tar

    def _add(self, name, size, fileobj):
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, int(time.time())
        self.tar.addfile(info, fileobj)

    def add_lines(self, name, lines):
        """Adds the member from an iterable of lines (bytes); returns (SHA-256, how many lines)."""
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
            digest, count = hashlib.sha256(), 0
            for count, line in enumerate(lines, start=1):
                digest.update(line)
                spool.write(line)
            size = spool.tell()
            spool.seek(0)
            self._add(name, size, spool)
        return digest.hexdigest(), count

    def add_file(self, name, path):
        """Adds the file at `path`; returns (SHA-256 of what was archived, size)."""
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            reader = _Hashing(file)
            self._add(name, size, reader)
        return reader.digest.hexdigest(), size

    def add_manifest(self, manifest):
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        with tempfile.SpooledTemporaryFile() as spool:
            spool.write(data)
            spool.seek(0)
            self._add(MANIFEST, len(data), spool)


@contextmanager
def writing(path):
    """A Writer onto `path`, which appears (replacing an older file) only once it is complete."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data
    try:
        with os.fdopen(descriptor, "wb") as out:
            with tarfile.open(fileobj=out, mode="w:gz", compresslevel=_COMPRESSION) as tar:
                yield Writer(tar)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def member_name(folder, name):
    return f"{folder}/{name}"


def _target(folder, name):
    """Where a member goes inside `folder`; ArchiveError for a name this module does not write."""
    if name == MANIFEST:
        return folder / MANIFEST
    part, _slash, rest = name.partition("/")
    if part == TABLES and _TABLE_FILE.match(rest):
        return folder / TABLES / rest
    if part == DOCUMENTS:
        try:
            storage.path_for(rest)
        except ValueError:
            pass
        else:
            return folder / DOCUMENTS / rest
    raise ArchiveError(f"unexpected member {name!r}: this is not a backup archive")


def extract(path, folder):
    """Unpacks the archive at `path` into `folder` and returns its manifest, after checking every
    member against the manifest's SHA-256; ArchiveError when anything is missing, extra or changed."""
    folder = Path(folder)
    (folder / TABLES).mkdir()
    (folder / DOCUMENTS).mkdir()
    try:
        with tarfile.open(path, mode="r|gz") as tar:
            for member in tar:
                target = _target(folder, member.name)
                if not member.isfile() or target.exists():
                    raise ArchiveError(f"unexpected member {member.name!r}: this is not a backup archive")
                with tar.extractfile(member) as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise ArchiveError(f"the file is not a complete backup archive (damaged or cut short): {error}") from None
    manifest = _read_manifest(folder / MANIFEST)
    expected = _listed(manifest)
    present = {path.relative_to(folder) for path in folder.glob("*/*")}
    if missing := set(expected) - present:
        raise ArchiveError(f"the archive lacks {min(missing)} that its manifest lists")
    if extra := present - set(expected):
        raise ArchiveError(f"the archive holds {min(extra)} that its manifest does not list")
    for member, sha256 in sorted(expected.items()):
        if file_sha256(folder / member) != sha256:
            raise ArchiveError(f"{member} is not the file that was backed up: its SHA-256 differs from the manifest's")
    return manifest


def _read_manifest(path):
    if not path.exists():
        raise ArchiveError("the archive has no manifest: it is not a backup made by `flask backup create`")
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except ValueError:
        raise ArchiveError("the archive's manifest is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"the archive is not in the format {FORMAT}")
    return manifest


def _listed(manifest):
    """{member path: SHA-256} of every table and document the manifest lists."""
    try:
        listed = {Path(TABLES, f"{table['name']}.jsonl"): table["sha256"] for table in manifest["tables"]}
        listed.update((Path(DOCUMENTS, name), document["sha256"]) for name, document in manifest["documents"].items())
        complete = (all(isinstance(table["columns"], list) and isinstance(table["rows"], int)
                        for table in manifest["tables"])
                    and all(isinstance(manifest["chains"][chain], dict) for chain in ("audit_log", "draw_logs")))
    except (KeyError, TypeError, AttributeError):
        complete = False
    if not complete:
        raise ArchiveError("the archive's manifest is incomplete")
    return listed
