"""`yuanqu demo load`: every app's demo data, in dependency order."""

from yuanqu.accounts.demo import demo_load as accounts_demo_load
from yuanqu.chains.demo import demo_load as chains_demo_load
from yuanqu.indicators.demo import demo_load as indicators_demo_load
from yuanqu.projects.demo import demo_load as projects_demo_load
from yuanqu.service.demo import demo_load as service_demo_load
from yuanqu.supervision.demo import demo_load as supervision_demo_load


def demo_load_all() -> list[str]:
    # Chains before projects: a project's chain role is derived from its node at signing.
    # The service centre before supervision: it reuses the chains' departments and the accounts' window
    # clerk; supervision last, as its measures are linked to the indicators, chains, projects and the centre.
    return (
        indicators_demo_load()
        + accounts_demo_load()
        + chains_demo_load()
        + projects_demo_load()
        + service_demo_load()
        + supervision_demo_load()
    )
