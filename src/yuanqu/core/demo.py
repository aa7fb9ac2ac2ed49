"""`yuanqu demo load`: every app's demo data, in dependency order."""

from yuanqu.indicators.demo import demo_load as indicators_demo_load


def demo_load_all() -> list[str]:
    return indicators_demo_load()
