"""Serializer fields the API needs beyond DRF's own."""
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import get_attribute

from ..pricing import round_each, round_money


class TextField(serializers.CharField):
    """A CharField that refuses text which cannot be encoded as UTF-8. JSON lets a
    client send a lone surrogate ("\\ud800"); left alone it would reach the HTML
    sanitizer or the database driver and fail there with a 500."""

    default_error_messages = {"invalid_unicode": _("Enter valid Unicode text.")}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.fail("invalid_unicode")
        return value


DECIMAL_STRING = {"type": "string", "format": "decimal", "pattern": r"^\d+(\.\d+)?$"}


@extend_schema_field(DECIMAL_STRING)
class MoneyField(serializers.Field):
    """An amount as a decimal string in its currency's minor unit ("120.00" EUR,
    "12000" JPY). The currency is read from `currency_source` on the same object."""

    def __init__(self, *, currency_source: str = "currency", **kwargs):
        self.currency_source = currency_source.split(".")
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return super().get_attribute(instance), get_attribute(instance, self.currency_source)

    def to_representation(self, value):
        amount, currency = value
        return str(round_money(Decimal(amount), currency))


@extend_schema_field({"type": "array", "items": DECIMAL_STRING})
class MoneyListField(MoneyField):
    """A list of amounts in one currency, such as the rate of each night: each
    distinct amount rounded once, as a long stay repeats a few rates."""

    def to_representation(self, value):
        amounts, currency = value
        return [str(amount) for amount in round_each([Decimal(amount) for amount in amounts], currency)]
