"""The observations extracted from reports, as the review page lists them."""

from yuanqu.core.models import Source
from yuanqu.indicators.models import Observation, ObservationQuerySet

REVIEWED_SHOWN = 20


def _from_documents() -> ObservationQuerySet:
    return Observation.objects.filter(source__kind=Source.Kind.DOCUMENT).select_related(
        "indicator", "place", "source", "recorded_by"
    )


def pending_observations() -> ObservationQuerySet:
    """Every extracted observation still waiting for a statistician, oldest first."""
    return (
        Observation.objects.filter(status=Observation.Status.UNREVIEWED)
        .select_related("indicator", "place", "source", "recorded_by")
        .order_by("recorded_at", "pk")
    )


def reviewed_observations(limit: int = REVIEWED_SHOWN) -> ObservationQuerySet:
    """The latest accepted or rejected observations that came from a report."""
    return (
        _from_documents()
        .filter(status__in=[Observation.Status.ACCEPTED, Observation.Status.REJECTED])
        .order_by("-recorded_at", "-pk")[:limit]
    )
