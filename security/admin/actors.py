"""Who did it, by name: audit actors are stored as "user:<id>" (stable when a user
is renamed or deleted), and screens show the person instead.

The name is joined in by the change list's own query (a subquery per column), so a
page of events costs no query per row."""
from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Concat, Substr, Trim

USER_ACTOR = r"^user:[0-9]{1,18}$"


def with_actor_names(queryset, field: str = "actor"):
    """`queryset` with `actor_full_name` and `actor_username` for "user:<id>" actors."""
    user_id = Case(
        When(Q(**{f"{field}__regex": USER_ACTOR}), then=Cast(Substr(field, 6), IntegerField())),
        default=None, output_field=IntegerField(),
    )
    users = get_user_model().objects.filter(pk=OuterRef("actor_user_id"))
    full_name = Trim(Concat("first_name", Value(" "), "last_name", output_field=CharField()))
    return queryset.annotate(actor_user_id=user_id).annotate(
        actor_full_name=Subquery(users.annotate(full=full_name).values("full")[:1]),
        actor_username=Subquery(users.values("username")[:1]),
    )


def actor_label(obj, field: str = "actor") -> str:
    """"Lucía Pérez (lucia)" for a known user, the stored actor otherwise."""
    full_name = (getattr(obj, "actor_full_name", "") or "").strip()
    username = getattr(obj, "actor_username", "") or ""
    if username:
        return f"{full_name} ({username})" if full_name else username
    return getattr(obj, field) or "—"
