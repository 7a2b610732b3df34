"""EDTF dates: parsing, the total sort order, display."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tui.model import dates
from tui.model.dates import (
    DAY_SECONDS,
    DateError,
    Precision,
    date_from_parts,
    days_in_month,
    instant,
    parse_dates,
    parse_edtf,
)

INF = float("inf")


def day_key(d: datetime.date) -> int:
    return instant(d.year, d.month, d.day)


# -- the common forms ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("2019", Precision.YEAR, datetime.date(2019, 1, 1), datetime.date(2019, 12, 31)),
        ("2019-07", Precision.MONTH, datetime.date(2019, 7, 1), datetime.date(2019, 7, 31)),
        ("2019-02", Precision.MONTH, datetime.date(2019, 2, 1), datetime.date(2019, 2, 28)),
        ("2020-02", Precision.MONTH, datetime.date(2020, 2, 1), datetime.date(2020, 2, 29)),
        ("2019-07-18", Precision.DAY, datetime.date(2019, 7, 18), datetime.date(2019, 7, 18)),
        ("2020-02-29", Precision.DAY, datetime.date(2020, 2, 29), datetime.date(2020, 2, 29)),
        ("2000-02-29", Precision.DAY, datetime.date(2000, 2, 29), datetime.date(2000, 2, 29)),
    ],
)
def test_plain_dates_cover_their_whole_span(text, precision, first, last):
    d = parse_edtf(text)
    assert d.precision == precision
    assert not d.interval and not d.approximate and not d.uncertain and not d.is_uncertain
    assert d.lower == day_key(first)
    # The span is closed: its last instant is the last second of the last day.
    assert d.upper == day_key(last) + DAY_SECONDS - 1


@pytest.mark.parametrize(
    ("text", "approximate", "uncertain"),
    [
        ("2019~", True, False),
        ("2019?", False, True),
        ("2019%", True, True),
        ("2019-07~", True, False),
        ("2019-07-18?", False, True),
        ("2019-07-18%", True, True),
    ],
)
def test_qualifiers(text, approximate, uncertain):
    d = parse_edtf(text)
    plain = parse_edtf(text[:-1])
    assert (d.approximate, d.uncertain) == (approximate, uncertain)
    assert d.is_uncertain
    # A qualifier changes what is known, not the span.
    assert (d.lower, d.upper, d.precision) == (plain.lower, plain.upper, plain.precision)
    # ... and a qualified date sorts right after the plain one.
    assert plain < d


def test_interval():
    d = parse_edtf("2018-11/2019-01")
    assert d.interval
    assert d.lower == day_key(datetime.date(2018, 11, 1))
    assert d.upper == day_key(datetime.date(2019, 1, 31)) + DAY_SECONDS - 1
    assert d.start.month == 11 and d.end.month == 1
    assert d.overlaps(day_key(datetime.date(2018, 12, 25)), day_key(datetime.date(2018, 12, 25)))
    assert not d.overlaps(day_key(datetime.date(2019, 2, 1)), day_key(datetime.date(2019, 3, 1)))


def test_open_end_is_ongoing():
    d = parse_edtf("2017-04/..")
    assert d.interval and d.open_end and not d.unknown_end
    assert d.lower == day_key(datetime.date(2017, 4, 1))
    assert d.upper == INF
    # An open end overlaps every later range.
    assert d.overlaps(day_key(datetime.date(2500, 1, 1)), day_key(datetime.date(2500, 1, 1)))


def test_open_start():
    d = parse_edtf("../2019")
    assert d.open_start and d.lower == -INF
    assert d.upper == parse_edtf("2019").upper


def test_unknown_end_is_not_open():
    d = parse_edtf("2017/")
    assert d.interval and d.unknown_end and not d.open_end
    assert d.is_uncertain
    # We only know it started in 2017: it does not run forever.
    assert d.upper != INF
    assert d.lower == parse_edtf("2017").lower


@pytest.mark.parametrize("text", ["Y-13800000000", "-13800000000"])
def test_long_years(text):
    d = parse_edtf(text)
    assert d.precision == Precision.YEAR
    assert d.start.year == -13_800_000_000
    assert d.lower < parse_edtf("-9999").lower
    assert d.lower < d.upper
    assert d.year_month() == (-13_800_000_000, None)


def test_long_year_spellings_are_the_same_instant():
    assert parse_edtf("Y-13800000000").lower == parse_edtf("-13800000000").lower
    assert parse_edtf("Y12345").lower == parse_edtf("12345").lower


@pytest.mark.parametrize("year", [-1, -44, -999, -9999])
def test_negative_four_digit_years(year):
    text = f"-{abs(year):04d}"
    d = parse_edtf(text)
    assert d.start.year == year
    assert d < parse_edtf("0000") < parse_edtf("0001")
    assert d.upper < parse_edtf("0000").lower


@pytest.mark.parametrize(
    "text",
    [
        "2019-02-30",
        "2019-02-29",
        "1900-02-29",
        "2019-13-01",
        "2019-00",
        "2019-07-32",
        "2019-07-00",
        "2018-11/2018-10",
        "2019-01/2018-11",
        "2019/2018",
        "2019-07-18/2019-07-17",
        "",
        " 2019",
        "2019 ",
        "garbage",
        "19",
        "2019-7",
        "2019-07-18T24:00",
        "/",
        "../..",
    ],
)
def test_impossible_dates_are_rejected(text):
    with pytest.raises(DateError) as info:
        parse_edtf(text)
    assert info.value.message
    assert info.value.hint, "every rejected date comes with a hint"


def test_impossible_day_message_names_the_month_length():
    with pytest.raises(DateError) as info:
        parse_edtf("2019-02-30")
    assert "28" in info.value.message


def test_interval_ending_before_it_starts_says_so():
    with pytest.raises(DateError) as info:
        parse_edtf("2019-01/2018-11")
    assert "before" in info.value.message
    assert "swap" in info.value.hint


@pytest.mark.parametrize("value", [2019, None, 20.5, True])
def test_non_strings_are_date_errors(value):
    with pytest.raises(DateError):
        parse_edtf(value)


@pytest.mark.parametrize("value", [["2019"], {"date": "2019"}])
def test_unhashable_json_values_are_date_errors(value):
    with pytest.raises(DateError):
        parse_edtf(value)


@pytest.mark.parametrize("text", ["9X14", "11X8", "X9X5"])
def test_unspecified_digit_dates_never_raise_anything_but_date_error(text):
    try:
        parse_edtf(text)
    except DateError:
        pass


# -- hostile input: years too long, digits of other scripts, offsets beyond ±14:00 ---------

NINES = "9" * 5000  # beyond Python's 4,300-digit limit on converting a string to an integer


@pytest.mark.parametrize(
    "text",
    [
        "Y" + NINES, "Y-" + NINES, NINES, "-" + NINES, "Y" + NINES + "?", "Y" + NINES + "-07-18",
        f"Y{NINES}/2019", f"2019/Y{NINES}", f"../Y{NINES}", "Y1000000000000001", "Y-1000000000000001",
        "Y" + "0" * 30 + "1000000000000001", "Y1E20", "Y-17E300", "Y1E5000", "Y1E99999999999", "Y99999999999999999S3",
        f"[Y{NINES}..]", "{Y10000000000000000000,2019}",
    ],
    ids=lambda text: text if len(text) < 30 else text[:12] + f"…({len(text)})",
)
def test_years_beyond_a_million_billion_are_refused_before_they_are_converted(text):
    with pytest.raises(DateError) as info:
        parse_edtf(text)
    assert isinstance(info.value, dates.YearOutOfRange)
    assert "year too large" in info.value.message and "10^15" in info.value.message
    assert len(info.value.message) < 200, "the message quotes a long date cut short"
    assert info.value.hint
    assert parse_dates([text]) == {text: None}


@pytest.mark.parametrize("text", ["Y1000000000000000", "Y-1000000000000000", "-999999999999999", "Y-17E7",
                                  "Y0000000000000000000001000000000000000"])
def test_years_up_to_the_limit_still_parse(text):
    date = parse_edtf(text)
    assert abs(date.start.year if date.start else date.year_month()[0]) <= dates.MAX_YEAR
    assert parse_dates([text])[text] == date


def test_writing_a_year_beyond_the_limit_is_refused_before_it_is_written_out():
    with pytest.raises(dates.YearOutOfRange):
        date_from_parts(10**5000)  # str() of it would raise ValueError
    with pytest.raises(dates.YearOutOfRange):
        date_from_parts(-(10**15) - 1)
    assert date_from_parts(-(10**15)) == "Y-1000000000000000"


@pytest.mark.parametrize(
    ("text", "ascii_text"),
    [
        ("٢٠١٩", "2019"),  # Arabic-Indic digits
        ("２０１９", "2019"),  # full-width digits
        ("２０１９-07", "2019-07"),
        ("2019-０7-18", "2019-07-18"),
        ("٢٠١٩-07-18~", "2019-07-18~"),
        ("२०१९?", "2019?"),  # Devanagari
        ("２０１９/2020", "2019/2020"),
        ("2019/２０２０-01", "2019/2020-01"),
        ("Y١٢٣٤٥", "Y12345"),
        ("-١٢٣٤٥", "-12345"),
        ("2019-07-18T1٢:00", "2019-07-18T12:00"),
        ("2019-07-18T12:00+0٢:00", "2019-07-18T12:00+02:00"),
        ("１９５０S2", "1950S2"),
    ],
)
def test_dates_in_digits_other_than_0_to_9_are_refused_with_the_date_in_0_to_9(text, ascii_text):
    parse_edtf(ascii_text)  # the same date in 0-9 is one
    with pytest.raises(DateError) as info:
        parse_edtf(text)
    assert isinstance(info.value, dates.ForeignDigits)
    assert "digits other than 0-9" in info.value.message and "U+" in info.value.message
    assert repr(ascii_text) in info.value.hint
    assert parse_dates([text]) == {text: None}


@pytest.mark.parametrize("text", ["2019é", "２０１９年", "2019\u20132020", "\u202e2019", "2019-07-18\u00a0?"])
def test_other_characters_beyond_ascii_are_refused(text):
    with pytest.raises(DateError) as info:
        parse_edtf(text)
    assert "U+" in info.value.message
    assert parse_dates([text]) == {text: None}


@pytest.mark.parametrize("offset", ["+25:00", "-25:00", "+14:01", "-14:30", "+15", "+99", "+05:60", "+0560", "+1500"])
def test_time_zone_offsets_beyond_14_hours_are_refused(offset):
    text = f"2019-07-18T12:00:00{offset}"
    with pytest.raises(DateError) as info:
        parse_edtf(text)
    assert "offset" in info.value.message and offset in info.value.message
    assert parse_dates([text]) == {text: None}
    with pytest.raises(DateError):
        parse_edtf(f"2019-07-18T12:00{offset}/2019-07-19")


@pytest.mark.parametrize("offset", ["Z", "+14:00", "-14:00", "-12:00", "+05:30", "+0530", "-03", "+00:00", "+13:59"])
def test_time_zone_offsets_within_14_hours_parse(offset):
    date = parse_edtf(f"2019-07-18T12:00:00{offset}")
    assert date.start.tz == offset
    assert parse_dates([date.text])[date.text] == date


_DIGITS_OF_SCRIPTS = "0123456789٠١٢٣٤٥٦٧٨٩０１２３４５６７８９०१२३४५६७८९"


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)),
       st.sampled_from([10, 7, 4]), st.sampled_from(["", "?", "~", "%", "/..", "/9999", "T10:00:00Z"]),
       st.data())
def test_a_date_with_any_digit_of_another_script_is_refused_by_both_parsers(day, cut, tail, data):
    text = day.isoformat()[:cut] + (tail if cut == 10 or not tail.startswith("T") else "")
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    chosen = data.draw(st.sets(st.sampled_from(digits), min_size=1))
    foreign = "".join(
        _DIGITS_OF_SCRIPTS[int(c) + 10 * data.draw(st.integers(1, 3))] if i in chosen else c for i, c in enumerate(text))
    with pytest.raises(DateError):
        parse_edtf(foreign)
    assert parse_dates([foreign]) == {foreign: None}
    assert parse_dates([text])[text] == parse_edtf(text)  # ... and the same in 0-9 is a date to both


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_DIGITS_OF_SCRIPTS + "-/~?%.TZ:+XYES[]{},", max_size=24))
def test_whatever_either_parser_takes_is_ascii_and_taken_alike_by_the_other(text):
    try:
        expected = parse_edtf(text)
    except DateError:
        assert parse_dates([text]) == {text: None}
        return
    assert text.isascii()
    assert parse_dates([text])[text] == expected


def test_parsing_prints_nothing(capsys):
    parse_edtf.cache_clear()
    with pytest.raises(DateError) as info:
        parse_edtf("../821")
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    assert info.value.hint


# -- fallback forms (the edtf library) ---------------------------------------


def test_fallback_season_and_decade():
    spring = parse_edtf("2019-21")
    assert parse_edtf("2019").lower <= spring.lower and spring.upper <= parse_edtf("2019").upper
    assert spring.human() == "Spring 2019"
    decade = parse_edtf("201X")
    assert decade.lower == parse_edtf("2010").lower
    assert decade.upper == parse_edtf("2019").upper
    assert decade.human() == "2010s"


# -- display -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "human"),
    [
        ("2019-07-18", "18 July 2019"),
        ("2019-07", "July 2019"),
        ("2019", "2019"),
        ("2019-07~", "c. July 2019"),
        ("2019?", "2019?"),
        ("2019%", "c. 2019?"),
        ("2017-04/..", "April 2017 – ongoing"),
        ("2018-11/2019-01", "November 2018 – January 2019"),
        ("2017/", "2017 – ?"),
        ("-0043", "44 BCE"),
        ("0000", "1 BCE"),
        ("-0001", "2 BCE"),
        ("Y-13800000000", "13,800,000,001 BCE"),
        ("Y12345", "12,345"),
    ],
)
def test_human(text, human):
    assert parse_edtf(text).human() == human


# -- the total order: properties ---------------------------------------------

valid_days = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))


def edtf_day(d: datetime.date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


@settings(max_examples=300)
@given(valid_days, valid_days)
def test_day_order_matches_datetime(a, b):
    ka, kb = parse_edtf(edtf_day(a)).sort_key, parse_edtf(edtf_day(b)).sort_key
    assert (ka < kb) == (a < b)
    assert (ka == kb) == (a == b)


@settings(max_examples=200)
@given(st.integers(1, 9999), st.integers(1, 12))
def test_month_sorts_before_its_days_and_after_the_previous_month(year, month):
    m = parse_edtf(f"{year:04d}-{month:02d}")
    for day in range(1, days_in_month(year, month) + 1):
        assert m < parse_edtf(f"{year:04d}-{month:02d}-{day:02d}")
    prev_year, prev_month = (year, month - 1) if month > 1 else (year - 1, 12)
    assume(prev_year >= 0)
    for day in range(1, days_in_month(prev_year, prev_month) + 1):
        assert parse_edtf(f"{prev_year:04d}-{prev_month:02d}-{day:02d}") < m
    assert parse_edtf(f"{prev_year:04d}-{prev_month:02d}") < m


@settings(max_examples=200)
@given(st.integers(-9999, 9999), st.integers(1, 12), st.sampled_from(["", "~", "?", "%"]))
def test_year_sorts_before_its_months(year, month, qualifier):
    y = parse_edtf(date_from_parts(year) + qualifier)
    months = parse_edtf(date_from_parts(year, month))
    assert y < months
    # ... and after everything in the previous year.
    assert parse_edtf(date_from_parts(year - 1, 12, 31)) < y


huge_years = st.integers(-(10**12) + 1, 10**12 - 1)


@settings(max_examples=300)
@given(huge_years, huge_years)
def test_huge_years_sort_numerically(a, b):
    def spell(year: int) -> str:
        return f"Y{year}" if abs(year) >= 10000 else date_from_parts(year)

    da, db = parse_edtf(spell(a)), parse_edtf(spell(b))
    assert da.start.year == a and db.start.year == b
    assert (da < db) == (a < b)
    assert (da.sort_key == db.sort_key) == (a == b)


@st.composite
def edtf_strings(draw) -> str:
    """Valid EDTF strings of the fast-path forms, including intervals."""
    def point() -> str:
        year = draw(st.one_of(st.integers(-9999, 9999), st.integers(-(10**8), 10**8)))
        month = draw(st.none() | st.integers(1, 12))
        day = draw(st.none() | st.integers(1, days_in_month(year, month))) if month else None
        return date_from_parts(
            year, month, day, approximate=draw(st.booleans()), uncertain=draw(st.booleans())
        )

    kind = draw(st.sampled_from(["point", "interval", "open", "unknown"]))
    if kind == "point":
        return point()
    a = point()
    if kind == "open":
        return f"{a}/.." if draw(st.booleans()) else f"../{a}"
    if kind == "unknown":
        return f"{a}/" if draw(st.booleans()) else f"/{a}"
    b = point()
    da, db = parse_edtf(a), parse_edtf(b)
    if da.lower > db.upper:
        a, b = b, a
    return f"{a}/{b}"


@settings(max_examples=150)
@given(st.lists(edtf_strings(), min_size=3, max_size=8))
def test_sorting_is_a_total_order(texts):
    dates = [parse_edtf(t) for t in texts]
    for a, b in itertools.product(dates, repeat=2):
        # Totality and antisymmetry: exactly one of <, ==, > for distinct texts.
        relations = [a < b, b < a, a.text == b.text]
        assert sum(relations) == 1, (a.text, b.text)
    for a, b, c in itertools.product(dates, repeat=3):
        if a < b and b < c:
            assert a < c
    # Sorting never depends on the input order.
    assert [d.text for d in sorted(dates)] == [d.text for d in sorted(reversed(dates))]


@settings(max_examples=150)
@given(edtf_strings())
def test_every_date_is_a_nonempty_span(text):
    d = parse_edtf(text)
    assert d.lower <= d.upper


@st.composite
def date_parts(draw):
    year = draw(st.one_of(st.integers(-9999, 9999), st.integers(-(10**12), 10**12)))
    month = draw(st.none() | st.integers(1, 12))
    day = draw(st.none() | st.integers(1, days_in_month(year, month))) if month else None
    second = draw(st.none() | st.integers(0, DAY_SECONDS - 1)) if day else None
    return year, month, day, second, draw(st.booleans()), draw(st.booleans())


@settings(max_examples=300)
@given(date_parts())
def test_date_from_parts_round_trips(parts):
    year, month, day, second, approximate, uncertain = parts
    text = date_from_parts(year, month, day, second, approximate=approximate, uncertain=uncertain)
    d = parse_edtf(text)
    p = d.start
    assert (p.year, p.month, p.day, p.second) == (year, month, day, second)
    assert (d.approximate, d.uncertain) == (approximate, uncertain)
    assert d.year_month() == (year, month)
    expected = (
        Precision.SECOND if second is not None
        else Precision.DAY if day is not None
        else Precision.MONTH if month is not None
        else Precision.YEAR
    )
    assert d.precision == expected


@settings(max_examples=300)
@given(valid_days)
def test_instant_agrees_with_toordinal(d):
    origin = instant(1, 1, 1)
    assert (instant(d.year, d.month, d.day) - origin) // DAY_SECONDS == d.toordinal() - 1
    assert (instant(d.year, d.month, d.day) - origin) % DAY_SECONDS == 0


@given(
    st.integers(0, 9999),
    st.none() | st.integers(1, 12),
    st.integers(1, 31),
    st.sampled_from(["", "~", "?", "%"]),
)
def test_plain_points_take_a_shortcut_to_what_the_general_pattern_gives(year, month, day, qualifier):
    from tui.model.dates import _POINT, _fast_point, _point

    if month is None:
        text = f"{year:04d}"
    elif day <= days_in_month(year, month):
        text = f"{year:04d}-{month:02d}-{day:02d}"
    else:
        text = f"{year:04d}-{month:02d}"
    text += qualifier
    fast = _fast_point(text, text)
    general = _point(_POINT.fullmatch(text), text)
    fields = ("year", "month", "day", "second", "tz", "precision", "approximate", "uncertain", "lower", "upper")
    assert [getattr(fast, f) for f in fields] == [getattr(general, f) for f in fields]
    assert fast.human() == general.human()


# -- a column of dates at once -------------------------------------------------


def _shown(d):
    """Everything a date tells the rest of the app."""
    start = d.start
    return (d.text, d.lower, d.upper, d.precision, d.sort_key, d.approximate, d.uncertain, d.interval, d.open_start,
            d.open_end, d.unknown_start, d.unknown_end, d.is_uncertain, d.human(), d.year_month(),
            None if start is None else (start.year, start.month, start.day, start.lower, start.upper, start.precision),
            None if d.end is None else (d.end.year, d.end.month, d.end.day))


def _every_day_of(years):
    day = datetime.date(years[0], 1, 1)
    while day.year <= years[-1]:
        yield day.isoformat()
        day += datetime.timedelta(days=1)


def test_a_column_of_dates_parses_as_one_date_at_a_time():
    months = [f"{year:04d}-{m:02d}" for year in (0, 1, 1899, 1900, 2000, 2019, 2020, 9999) for m in range(0, 14)]
    years = [f"{year:04d}" for year in (0, 1, 4, 100, 400, 1899, 1900, 2000, 2019, 9999)]
    plain = [*_every_day_of([2000, 2000]), *months, *years]
    qualified = [text + q for text in plain[::7] for q in ("?", "~", "%")] + ["2019??", "2019?~", "?2019", "2019-07-18 ?"]
    ends = ["", "..", "1999", "2000-02", "2000-02-29", "2000-03?", "1999~", "2001-01-01%", "2000-13", "0000", "0000-05",
            "2000-21", "2000-02-30", "2000-01-01T10:00Z", "X"]
    intervals = [f"{a}/{b}" for a in ends for b in ends] + ["2019/2020/2021", "[2019/2020]", "{2019/2020}", " 2019/2020",
                                                            "2019/2020 ", "2019 /2020"]
    texts = [*_every_day_of([1899, 1900]), *_every_day_of([2001, 2001]), *plain, *qualified, *intervals, "0001-01-01",
             "9999-12-31",
             "0000-02-29", "0000-01-01", "2019-21", "2019-24", "201X", "２０１９", "２０１９-07", "2019-7", "-2019",
             "12345", "2019-07-18?", "2019-07~", "2019-07-18/2019-07-20", "2019-02-29",
             "2019-02-30", "2019-13-01", "2019-00-10", "2019-W29-4", "20190718", "2019-07-1", "２０１９-07-18",
             "2019-07-18T10:00:00Z", "1950S2", "not a date", "", "2019-07-18 ", "-0050-01-01", "Y-17000"]
    parsed = parse_dates(texts)
    assert list(parsed) == texts
    for text in texts:
        try:
            expected = parse_edtf(text)
        except DateError:
            assert parsed[text] is None, text
            continue
        assert parsed[text] is not None, text
        assert _shown(parsed[text]) == _shown(expected), text
        assert parsed[text] == expected and hash(parsed[text]) == hash(expected)
        # ... and as the general parser makes it (plain dates are made a shorter way)
        assert _shown(parsed[text]) == _shown(dates._parse_cached(text)), text


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)))
def test_any_day_parses_alike_in_a_column(day):
    for text in (day.isoformat(), day.isoformat()[:7], day.isoformat()[:4], day.isoformat() + "?",
                 day.isoformat()[:7] + "~", day.isoformat()[:4] + "%"):
        assert _shown(parse_dates([text])[text]) == _shown(parse_edtf(text)) == _shown(dates._parse_cached(text))
    text = day.isoformat()
    assert parse_dates([text])[text].lower == day_key(day)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)),
       st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)),
       st.sampled_from([10, 7, 4]), st.sampled_from([10, 7, 4]), st.sampled_from(["", "?", "~", "%"]))
def test_any_interval_of_days_months_and_years_parses_alike_in_a_column(a, b, cut_a, cut_b, qualifier):
    text = f"{a.isoformat()[:cut_a]}{qualifier}/{b.isoformat()[:cut_b]}"
    try:
        expected = parse_edtf(text)
    except DateError:
        assert parse_dates([text])[text] is None  # ends before it starts
        return
    assert _shown(parse_dates([text])[text]) == _shown(expected) == _shown(dates._parse_cached(text))


# -- the earliest and latest day, for tools that cannot read EDTF ------------------------------------


@pytest.mark.parametrize("text, bounds", [
    ("2019-07-18", ("2019-07-18", "2019-07-18")),
    ("2019-07", ("2019-07-01", "2019-07-31")),
    ("2016-02", ("2016-02-01", "2016-02-29")),
    ("2019", ("2019-01-01", "2019-12-31")),
    ("2019-07~", ("2019-07-01", "2019-07-31")),  # qualifiers do not widen the span
    ("2019-07-18T14:30:00Z", ("2019-07-18", "2019-07-18")),
    ("2018-11/2019-01", ("2018-11-01", "2019-01-31")),
    ("2017-04/..", ("2017-04-01", None)),  # ongoing
    ("../2019", (None, "2019-12-31")),
    ("2017/", ("2017-01-01", None)),  # end unknown
    ("2019-21", ("2019-03-01", "2019-05-31")),  # spring, through the edtf package
    ("201X", ("2010-01-01", "2019-12-31")),
    ("-0043", ("-0043-01-01", "-0043-12-31")),  # 44 BCE, numbered astronomically as in EDTF
    ("Y12000", ("+12000-01-01", "+12000-12-31")),
])
def test_day_bounds_are_iso_days(text, bounds):
    assert parse_edtf(text).day_bounds() == bounds


@given(st.dates())
def test_day_bounds_of_any_day_are_that_day(day):
    assert parse_edtf(day.isoformat()).day_bounds() == (day.isoformat(), day.isoformat())
