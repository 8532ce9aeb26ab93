"""`__in` on integer columns with numbers no column can hold.

Django already turns `pk=10**30` into "no rows" (IntegerFieldOverflow on exact,
gt, lt…), but not `pk__in=[10**30]`: SQLite's driver then raises OverflowError,
a 500 from any form with a model multiple choice field (the inventory
calendar's room types, the admin's actions) fed a huge id. Such a number can
match no row, so it is dropped from the list, as Django drops None.
"""
from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [value for value in self.rhs if not _outside(value, low, high)]
        return super().process_rhs(compiler, connection)


def _outside(value, low: int | None, high: int | None) -> bool:
    if not isinstance(value, int):
        return False
    return (low is not None and value < low) or (high is not None and value > high)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
