"""Reading admin pages the way a user does."""
import re

from django.urls import reverse
from django_scopes import scopes_disabled

API_KEY = re.compile(r"ha_[0-9a-f]+_[\w-]+")


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def rows(response) -> list:
    """The objects a change list shows."""
    with scopes_disabled():
        return list(response.context["cl"].result_list)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _value(bound_field):
    value = bound_field.value()
    return "" if value is None else value


def change_form_data(response) -> dict:
    """What the browser would post back unchanged from a change form, inlines included."""
    form = response.context["adminform"].form
    data = {name: _value(form[name]) for name in form.fields}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(name): _value(management[name]) for name in management.fields})
        for form in formset.forms:
            data.update({form.add_prefix(name): _value(form[name]) for name in form.fields})
    return data
