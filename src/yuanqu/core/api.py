from django.http import HttpRequest
from ninja import Router, Schema

from yuanqu.accounts.access import api_require_role
from yuanqu.accounts.roles import AGGREGATE_READERS
from yuanqu.core.models import Place

router = Router(tags=["地区"])


class PlaceOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    parent: str | None


@router.get("/zones", response=list[PlaceOut], summary="地区（省、市、县（市、区）、功能区）")
def zones(request: HttpRequest, level: str | None = None) -> list[PlaceOut]:
    api_require_role(request, *AGGREGATE_READERS)
    places = Place.objects.select_related("parent")
    if level:
        places = places.filter(level=level)
    return [
        PlaceOut(
            code=place.code,
            name=place.name,
            short_name=place.short_name,
            level=place.level,
            parent=place.parent.code if place.parent else None,
        )
        for place in places
    ]
