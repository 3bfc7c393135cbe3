"""The rate limits in Redis (RATELIMIT_STORAGE_URI): two app instances share one count, and Redis
down never fails a page (the limits are then counted in each process; /healthz says `warning`).

The Limiter is one object for the whole process: each `create_app` (its `init_app`) gives it that
app's storage, which every app of the process then uses. A second app therefore stands for a
second process: it opens a storage of its own (a new connection to Redis, or a new, empty memory).
The tests that need Redis are skipped when none answers at 127.0.0.1:6379; they use a database of
their own (14) and a key prefix of their own, whose keys are deleted afterwards."""
import uuid

import pytest
import redis

from app import create_app
from app.extensions import db, limiter

REDIS = "redis://127.0.0.1:6379/14"
NOBODY_LISTENS = "redis://127.0.0.1:1/0"


def _redis_answers():
    try:
        return redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not _redis_answers(), reason="no Redis answers at 127.0.0.1:6379")


@pytest.fixture
def build_app(app, tmp_path):
    """Builds apps of the test's own (on the test database, rate limits on) with a given storage;
    afterwards their Redis keys are deleted and the Limiter is put back as it was."""
    state = dict(vars(limiter), _storage_options=dict(limiter._storage_options))
    prefix = f"grants-tests-{uuid.uuid4().hex}"
    built = []

    def build(storage_uri):
        new = create_app({
            "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "test-secret", "BABEL_DEFAULT_LOCALE": "en",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage_uri,
            "RATELIMIT_STORAGE_OPTIONS": {**app.config["RATELIMIT_STORAGE_OPTIONS"], "key_prefix": prefix},
        })
        built.append(new)
        return new

    build.prefix = prefix
    yield build
    if any(new.config["RATELIMIT_STORAGE_URI"] == REDIS for new in built):
        limiter.storage.reset()  # the keys of this prefix only
    for new in built:
        with new.app_context():
            db.engine.dispose()
    vars(limiter).clear()  # its storage, whether it fell back to memory, the settings it took
    vars(limiter).update(state)


def _register(app):
    return app.test_client().post("/register", data={}).status_code


@needs_redis
def test_two_instances_on_redis_share_one_count(build_app):
    first = build_app(REDIS)
    statuses = [_register(first) for _ in range(5)]
    second = build_app(REDIS)

    statuses.append(_register(second))

    assert statuses == [200] * 5 + [429]
    assert {key.decode() for key in redis.Redis.from_url(REDIS).scan_iter(f"{build_app.prefix}:*")} == {
        f"{build_app.prefix}:LIMITER/127.0.0.1/auth.register/5/1/minute",
        f"{build_app.prefix}:LIMITER/127.0.0.1/auth.register/30/1/hour"}


def test_two_instances_in_memory_count_each_their_own(build_app):
    """What Redis is for: the second instance's count starts again."""
    first = build_app("memory://")
    statuses = [_register(first) for _ in range(5)]
    second = build_app("memory://")

    statuses.append(_register(second))

    assert statuses == [200] * 6


def test_redis_down_fails_no_page_and_the_limits_hold_in_the_process(build_app):
    site = build_app(NOBODY_LISTENS)
    client = site.test_client()

    assert client.get("/").status_code == 200
    assert client.get("/register").status_code == 200
    assert [_register(site) for _ in range(6)] == [200] * 5 + [429]

    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.get_json()
    assert report["rate_limits"] == {"status": "warning", "shared": False}
    assert report["status"] == "warning"
    assert "127.0.0.1:1" not in response.get_data(as_text=True)


@needs_redis
def test_healthz_reports_redis_answering(build_app):
    report = build_app(REDIS).test_client().get("/healthz").get_json()

    assert report["rate_limits"] == {"status": "ok", "shared": True}


def test_healthz_has_no_rate_limits_part_in_memory(build_app):
    report = build_app("memory://").test_client().get("/healthz").get_json()

    assert "rate_limits" not in report and report["status"] == "ok"
