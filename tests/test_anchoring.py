"""Quote anchoring: selectors to offsets, explanations when they do not resolve, context."""

from __future__ import annotations

import json
import re

import pytest
from model_support import SEEDS
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tui.model.anchoring import AnchorError, context, make_selector, occurrences, resolve

THEPRINT = (SEEDS / "000_2850487d08e3d448.txt").read_text(encoding="utf-8")


def hint_selector(hint: str) -> dict[str, str]:
    """The "prefix"/"suffix" JSON snippets a hint suggests, decoded."""
    found = {}
    for key in ("prefix", "suffix"):
        m = re.search(r'"%s": ("(?:[^"\\]|\\.)*")' % key, hint)
        if m:
            found[key] = json.loads(m.group(1))
    return found


# -- resolve -------------------------------------------------------------------


def test_resolve_gives_code_point_offsets():
    exact = "Ambassador Ali Al-Mansouri, Qatar’s permanent representative"
    start, end = resolve(THEPRINT, exact)
    assert THEPRINT[start:end] == exact
    assert start == THEPRINT.index(exact)
    # Offsets are code points, not UTF-8 bytes: the text before has curly quotes.
    assert len(THEPRINT[:start].encode("utf-8")) > start


def test_prefix_and_suffix_pick_one_occurrence():
    text = "abc one abc two abc three"
    assert resolve(text, "abc", prefix="one ") == (8, 11)
    assert resolve(text, "abc", suffix=" three") == (16, 19)
    assert resolve(text, "abc", prefix="two ", suffix=" three") == (16, 19)


def test_ambiguous_quote():
    text = "He said no.\nShe said no.\nThey said no again."
    with pytest.raises(AnchorError) as info:
        resolve(text, "said no")
    err = info.value
    assert err.kind == "ambiguous"
    assert "3 times" in err.message
    assert "line 1" in err.message and "line 2" in err.message and "line 3" in err.message
    suggestion = hint_selector(err.hint)
    assert suggestion, err.hint
    assert resolve(text, "said no", **suggestion) == (3, 10)


def test_ambiguous_quote_in_a_seed_document():
    exact = "July 12 letter"
    assert len(occurrences(THEPRINT, exact)) == 2
    with pytest.raises(AnchorError) as info:
        resolve(THEPRINT, exact)
    assert info.value.kind == "ambiguous"
    start, end = resolve(THEPRINT, exact, **hint_selector(info.value.hint))
    assert start == THEPRINT.index(exact)


def test_missing_quote_names_nearest_passage_and_similarity():
    with pytest.raises(AnchorError) as info:
        resolve(THEPRINT, "Qatar informed the United Nations Human Rights Council President Coly Seck")
    err = info.value
    assert err.kind == "missing"
    assert re.search(r"\b\d{1,3}% similar", err.message)
    assert "Qatar informed United Nations Human Rights Council President Coly Seck" in err.message
    line = THEPRINT[: THEPRINT.index("Qatar informed")].count("\n") + 1
    assert f"line {line}" in err.message
    assert "the" in err.hint and "copy" in err.hint


def test_curly_apostrophe_typed_straight_is_explained():
    quote = "China was Qatar's third largest trading partner in 2018"
    with pytest.raises(AnchorError) as info:
        resolve(THEPRINT, quote)
    err = info.value
    assert err.kind == "missing"
    assert "U+2019" in err.hint and "U+0027" in err.hint
    assert "Qatar’s third largest" in err.message


def test_nothing_close_is_said_plainly():
    with pytest.raises(AnchorError) as info:
        resolve("short text about apples", "zzzz qqqq xxxx wwww vvvv")
    assert info.value.kind == "missing"
    assert "nothing in it is close" in info.value.message


def test_quote_present_but_not_with_the_given_context():
    text = "alpha beta gamma"
    with pytest.raises(AnchorError) as info:
        resolve(text, "beta", prefix="omega ")
    assert info.value.kind == "context"
    assert "prefix" in info.value.message


def test_empty_quote_is_rejected():
    with pytest.raises(AnchorError) as info:
        resolve("anything", "")
    assert info.value.kind == "missing"


def test_control_characters_never_reach_the_message():
    text = "evil \x1b[2J text here and more words"
    with pytest.raises(AnchorError) as info:
        resolve(text, "evil \x1b[2J texts here and more word")
    assert "\x1b" not in info.value.message + info.value.hint


# -- make_selector: properties ------------------------------------------------

texts = st.one_of(
    st.text(min_size=1, max_size=80),
    st.text(alphabet="ab \n.", min_size=1, max_size=80),
    st.text(alphabet="ab", min_size=1, max_size=40),
    st.lists(st.sampled_from(["abab", "ab", " ", "\n", "é", "’", "x"]), min_size=1, max_size=25).map("".join),
)


@st.composite
def spans(draw):
    text = draw(texts)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@settings(max_examples=300)
@given(spans())
def test_make_selector_resolves_back_to_the_same_span(case):
    text, start, end = case
    prefix, exact, suffix = make_selector(text, start, end)
    assert exact == text[start:end]
    assert text[:start].endswith(prefix) and text[end:].startswith(suffix)
    assert resolve(text, exact, prefix, suffix) == (start, end)


@settings(max_examples=200)
@given(spans())
def test_make_selector_adds_no_context_to_a_unique_quote(case):
    text, start, end = case
    assume(len(occurrences(text, text[start:end])) == 1)
    assert make_selector(text, start, end) == ("", text[start:end], "")


@st.composite
def repeated_quotes(draw):
    """A text in which ``exact`` occurs at least twice."""
    exact = draw(st.text(alphabet="ab \n", min_size=1, max_size=4))
    filler = st.text(alphabet="ab \n’é\"\\", max_size=12)
    text = draw(filler) + exact + draw(filler) + exact + draw(filler)
    return text, exact


@settings(max_examples=200)
@given(repeated_quotes())
def test_ambiguity_hint_always_disambiguates(case):
    text, exact = case
    found = occurrences(text, exact)
    assert len(found) >= 2
    with pytest.raises(AnchorError) as info:
        resolve(text, exact)
    assert info.value.kind == "ambiguous"
    assert resolve(text, exact, **hint_selector(info.value.hint)) == (found[0], found[0] + len(exact))


# -- context ---------------------------------------------------------------------


def test_context_is_the_paragraph():
    doc = "First para.\n\nSecond para has the quote in it. And more.\n\nThird para."
    start = doc.index("the quote")
    ctx = context(doc, start, start + len("the quote"))
    assert ctx.text == "Second para has the quote in it. And more."
    assert doc[ctx.start : ctx.end] == ctx.text
    assert ctx.text[ctx.quote_start : ctx.quote_end] == "the quote"
    assert not ctx.clipped_start and not ctx.clipped_end


def test_context_of_a_quote_spanning_paragraphs_keeps_both():
    doc = "Zero.\n\nOne ends here.\n\nTwo starts here.\n\nThree."
    start, end = doc.index("ends"), doc.index("Two") + 3
    ctx = context(doc, start, end)
    assert ctx.text == "One ends here.\n\nTwo starts here."


def test_context_clips_long_paragraphs_to_sentences():
    sentences = [f"Sentence number {i} is here." for i in range(40)]
    doc = " ".join(sentences)
    quote = "Sentence number 20 is here."
    start = doc.index(quote)
    ctx = context(doc, start, start + len(quote), max_chars=120)
    assert len(ctx.text) <= 120
    assert ctx.clipped_start and ctx.clipped_end
    assert ctx.text[ctx.quote_start : ctx.quote_end] == quote
    # Clipped at sentence boundaries.
    assert ctx.text.startswith("Sentence number") and ctx.text.endswith(".")


@st.composite
def context_cases(draw):
    text = draw(st.text(alphabet="ab .!?\n\t’\"", min_size=1, max_size=250))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end, draw(st.none() | st.integers(0, 120))


@settings(max_examples=300)
@given(context_cases())
def test_context_offsets_are_consistent_and_never_cut_the_quote(case):
    text, start, end, max_chars = case
    ctx = context(text, start, end, max_chars)
    assert text[ctx.start : ctx.end] == ctx.text
    assert ctx.text[ctx.quote_start : ctx.quote_end] == text[start:end]
    assert ctx.start + ctx.quote_start == start and ctx.start + ctx.quote_end == end
    if max_chars is not None:
        assert len(ctx.text) <= max(max_chars, end - start)
        full = context(text, start, end)
        assert full.start <= ctx.start and ctx.end <= full.end
    else:
        # Never more than the paragraph: no blank line outside the quote.
        blank = re.compile(r"\n[ \t]*\n")
        assert not blank.search(ctx.text[: ctx.quote_start])
        assert not blank.search(ctx.text[ctx.quote_end :])


def test_a_one_letter_typo_in_a_long_quote_is_not_said_to_be_100_percent_similar():
    start = THEPRINT.index("Qatar informed")
    passage = THEPRINT[start:start + 200]
    typo = passage.replace("informed", "informmed", 1)
    with pytest.raises(AnchorError) as info:
        resolve(THEPRINT, typo)
    similar = re.search(r"\b(\d{1,3})% similar", info.value.message)
    assert similar and similar.group(1) == "99"


def test_selector_fields_name_the_span_and_carry_context_only_when_needed():
    from tui.model.anchoring import resolve, selector_fields

    text = "The letter was signed. The letter was read. A letter came."
    second = text.index("letter", 5)
    fields = selector_fields(text, second, second + len("letter"))
    assert fields["exact"] == "letter" and ("prefix" in fields or "suffix" in fields)
    assert resolve(text, fields["exact"], fields.get("prefix", ""), fields.get("suffix", "")) == (
        second, second + len("letter"))
    unique = text.index("read")
    assert selector_fields(text, unique, unique + 4) == {"exact": "read"}
