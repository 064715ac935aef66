"""Numbers, percentages, dates and money as the language in use writes them (Babel's
CLDR data): 12.5 and 45% in English, 12,5 and 45 % in Russian."""

from __future__ import annotations

import contextlib
import datetime
import decimal
from functools import lru_cache

from csdiag.i18n.languages import current_language


def _locale() -> str:
    """The CLDR locale of the language in use: csdiag's English is British (its reports
    say 'organisation'), so dates read 12 October 2026."""
    language = current_language()
    return "en_GB" if language == "en" else language


def number(value: float, digits: int = 2) -> str:
    """A number with at most `digits` decimals and no needless zeros: 3, 2.9, 12,5."""
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    return _decimal(value, pattern, _locale())


def fixed(value: float, digits: int = 2) -> str:
    """A number with exactly `digits` decimals, as certainties are shown: 0.75, 0,75."""
    return _decimal(value, "0." + "0" * digits, _locale())


@lru_cache(maxsize=4096)
def _decimal(value: float, pattern: str, locale: str) -> str:
    # Babel formats through Decimal (about a millisecond a number); a report shows
    # the same few certainties and thresholds again and again.
    from babel.numbers import format_decimal

    with _every_digit():
        return format_decimal(value, format=pattern, locale=locale)


def _every_digit() -> contextlib.AbstractContextManager[decimal.Context]:
    """A Decimal context with enough digits for any float (1e308 and its decimals): Babel
    rounds in the current one, whose 28 digits fail on a value such as 1e300
    (decimal.InvalidOperation), which a case or `--set` may give."""
    return decimal.localcontext(prec=400)


def plural(forms: str, count: float, language: str | None = None) -> str:
    """The form of a word for `count`, from its forms separated by '|' in the order of the
    language's plural categories: 'month|months' (one, other), 'месяц|месяца|месяцев'
    (one, few, many; a fraction takes the 'few' form, as in 2,5 месяца)."""
    choices = [form.strip() for form in forms.split("|")]
    if len(choices) == 1:
        return choices[0]
    language = language or current_language()
    category = _plural_category(language, count)
    order = _PLURAL_ORDER.get(language, ("one", "other"))
    if category not in order:
        category = order[min(1, len(order) - 1)]  # 'other' in Russian is a fraction
    return choices[min(order.index(category), len(choices) - 1)]


@lru_cache(maxsize=1024)
def _plural_category(language: str, count: float) -> str:
    from babel import Locale

    return str(Locale(language).plural_form(count))


_PLURAL_ORDER = {"en": ("one", "other"), "ru": ("one", "few", "many"), "zh": ("other",)}


def percent(value: float) -> str:
    """A percentage given on the 0-100 scale: 45 -> '45%' (en, zh), '45 %' (ru)."""
    return _percent(value, _locale())


@lru_cache(maxsize=4096)
def _percent(value: float, locale: str) -> str:
    from babel.numbers import format_percent

    # The language's own pattern (Russian puts a space before %), decimals kept as given.
    # Cached as _decimal is: evidence repeats the same case values and lines.
    with _every_digit():
        return format_percent(value / 100, locale=locale, decimal_quantization=False)


def date(value: datetime.date) -> str:
    """A date in the language's long form: 29 November 2026; 2026年11月29日; 29 ноября 2026 г."""
    from babel.dates import format_date

    return format_date(value, "long", locale=_locale())


def money(low: float, high: float | None, currency: str) -> str:
    """An amount or a range in a currency: $10,000–$15,000; 10 000 $–15 000 $."""
    from babel import Locale
    from babel.numbers import format_currency

    language = _locale()
    # The language's pattern without cents: a remedy's costs are round estimates.
    pattern = Locale(language).currency_formats["standard"].pattern.replace(".00", "")
    with _every_digit():
        first, *rest = [format_currency(amount, currency, format=pattern, locale=language,
                                        currency_digits=False)
                        for amount in (low, high) if amount is not None]
    return f"{first}–{rest[0]}" if rest else first
