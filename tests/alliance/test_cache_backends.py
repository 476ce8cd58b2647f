"""The shared page copies' Redis cache keeps, reads and forgets values as Django's does, with
one client per connection pool."""

import os

import pytest
import redis

from alliance.cache_backends import ReusingRedisCache

URL = "redis://127.0.0.1:6379/7"  # not 0 (the app's), 8 (the benchmark's) or 9-15 (workers')


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(URL).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs with Redis at 127.0.0.1:6379")
        pytest.skip("needs Redis at 127.0.0.1:6379")  # outside CI only: CI fails above
    store = ReusingRedisCache(URL, {"KEY_PREFIX": "alliance-test-copies"})
    store.clear()
    yield store
    store.clear()


def test_it_keeps_reads_and_forgets_values(cache):
    assert cache.get("page") is None
    cache.set("page", "<p>kept</p>", 30)
    assert cache.get("page") == "<p>kept</p>"
    cache.set_many({"a": 1, "b": [2, 3]})
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": [2, 3]}
    cache.delete("page")
    assert cache.get("page") is None


def test_one_client_per_pool(cache):
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is cache._cache.get_client()
