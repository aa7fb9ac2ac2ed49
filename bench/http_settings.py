"""Settings of the HTTP benchmark's server: yuanqu's own, with a URLconf that adds ``/bench/trivial``."""

from yuanqu.settings import *  # noqa: F403

ROOT_URLCONF = "bench.http_urls"
