"""Money for a stay. Decimal throughout, rounded half-up to the currency's minor unit."""
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tenants.reference import currency_minor_units

WEEK_NIGHTS, WEEK_DISCOUNT = 7, Decimal("0.10")
MONTH_NIGHTS, MONTH_DISCOUNT = 30, Decimal("0.20")


def discount_rate_for(nights: int) -> Decimal:
    """Long-stay discount. The seed guide tested `> 7` before `> 30`, so a month
    never got its 20 %; the longer stay is checked first here."""
    if nights >= MONTH_NIGHTS:
        return MONTH_DISCOUNT
    if nights >= WEEK_NIGHTS:
        return WEEK_DISCOUNT
    return Decimal("0")


def round_money(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(_minor_unit(currency), rounding=ROUND_HALF_UP)


@functools.cache
def _minor_unit(currency: str) -> Decimal:
    """0.01 for EUR, 1 for JPY: a 60-night answer rounds a few hundred amounts."""
    return Decimal(1).scaleb(-currency_minor_units(currency))


@dataclass(frozen=True)
class Quote:
    nightly_rates: list[Decimal]
    subtotal: Decimal
    discount_rate: Decimal
    total: Decimal
    currency: str

    @property
    def nights(self) -> int:
        return len(self.nightly_rates)


def round_each(amounts: list[Decimal], currency: str) -> list[Decimal]:
    """Each amount rounded, each distinct amount once: a 60-night stay has a
    handful of rates, and rounding was most of what a long stay cost to quote."""
    rounded = {amount: round_money(amount, currency) for amount in set(amounts)}
    return [rounded[amount] for amount in amounts]


def quote_for(nightly_rates: list[Decimal], currency: str) -> Quote:
    rates = round_each(nightly_rates, currency)
    subtotal = round_money(sum(rates, Decimal("0")), currency)
    discount_rate = discount_rate_for(len(rates))
    total = round_money(subtotal * (1 - discount_rate), currency)
    return Quote(rates, subtotal, discount_rate, total, currency)
