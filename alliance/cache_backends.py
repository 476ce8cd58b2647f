"""Django's Redis cache, keeping one client per connection pool.

Django's Redis cache makes a new `redis.Redis` client for every operation, and each copies
redis-py's table of about 170 reply handlers: on a page read from its copy, that cost more than
the Redis round trip. A client is safe to share between threads (it takes a connection from
its pool for each command), so one is made per pool and kept.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient
