"""Two app instances behave as one (bench/two_instances.py): two gunicorn instances sharing one
PostgreSQL database, one documents folder and one SECRET_KEY, every request going to the other
instance, then through nginx when Debian's is installed: an applicant's session, draft, upload and
download, the manager's draw run step by step and its record, a log-out ending the session on both,
and the rate limits counted across instances when Redis answers at 127.0.0.1:6379 (else each
instance counts its own). Needs PostgreSQL (TEST_DATABASE_URL; a database "<its name>_two" is made and
dropped); about half a minute."""
import os
import shutil

import pytest
import sqlalchemy as sa

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL.startswith("postgresql"),
                                reason="two instances share a PostgreSQL database: set TEST_DATABASE_URL")


def test_two_instances_behave_as_one(tmp_path):
    from bench.databases import drop_database
    from bench.two_instances import check

    url = sa.make_url(TEST_DATABASE_URL)
    url = url.set(database=f"{url.database}_two").render_as_string(hide_password=False)
    try:
        results, (in_redis, shared, verdict) = check(url, tmp_path / "instance",
                                                     use_nginx=shutil.which("nginx") is not None)
    finally:
        drop_database(url)
    assert [(what, detail) for what, ok, detail in results if not ok] == []
    assert len(results) >= 7
    assert shared == in_redis, verdict
