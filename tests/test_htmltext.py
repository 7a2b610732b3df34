"""HTML to plain text (tui.model.htmltext): what a reader sees, never markup, never code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.model.htmltext import Blockquote, convert, html_to_text, one_line, text_to_html


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Hello <b>world</b></p><p>again</p>", "Hello world\n\nagain"),
        ("a<br>b<br/>c</br>d", "a\nb\nc\nd"),
        ("AT&amp;T &lt;b&gt; &#8217; &eacute;", "AT&T <b> ’ é"),
        ("<ul><li>one</li><li>two</li></ul>after", "one\ntwo\n\nafter"),
        ("  lots   of \n\t space  ", "lots of space"),
        ("<pre>  kept\n    as is</pre>", "  kept\n    as is"),
        ("<div>A</div><div>B</div>", "A\nB"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "a b"),
        ("<!-- a comment --><p>text</p>", "text"),
        ("<h2>Title</h2>body", "Title\n\nbody"),
        ("", ""),
    ],
)
def test_text_of_html(markup, text):
    assert html_to_text(markup) == text


@pytest.mark.parametrize("tag", ["script", "style", "template"])
def test_script_style_and_template_contents_are_dropped(tag):
    markup = f"before<{tag}>alert('x'); p {{color: red}}</{tag}>after"
    assert html_to_text(markup) == "beforeafter"


@pytest.mark.parametrize(
    "literal",
    ["[bold]x[/]", "[red]alarm[/red]", "[link=https://x]y[/link]", "\\[escaped]", "{curly} $var %s"],
)
def test_text_that_looks_like_markup_stays_literal(literal):
    assert html_to_text(f"<p>{literal}</p>") == literal
    assert html_to_text(literal) == literal


def test_escape_sequences_are_kept_as_data_not_interpreted():
    # A control character in the text is data like any other (the app and the CLI
    # show such characters escaped, never obey them); html.unescape drops the
    # numeric references to C0 controls that HTML forbids, keeping the text around.
    assert html_to_text("<p>a\x1b[2Jb</p>") == "a\x1b[2Jb"
    assert html_to_text("a&#27;[2Jb") == "a[2Jb"


def test_blockquotes_and_their_attribution():
    c = convert("<p>Intro</p><blockquote>There is no demand <i>as such</i>. <cite>Edith Clarke</cite></blockquote>")
    assert c.text == "Intro\n\nThere is no demand as such.\nEdith Clarke"
    assert c.blockquotes == [Blockquote("There is no demand as such.", "Edith Clarke")]
    # Each passage occurs in the text, as a caller quoting it needs.
    assert all(b.text in c.text for b in c.blockquotes)


def test_several_blockquotes_and_an_attribution_first():
    c = convert("<blockquote>Q1</blockquote>mid<blockquote><cite>Someone</cite> Q2 text</blockquote>")
    assert [b.text for b in c.blockquotes] == ["Q1", "Q2 text"]
    assert c.blockquotes[1].cite == "Someone"


def test_a_nested_blockquote_belongs_to_the_outer_one():
    c = convert("<blockquote>outer <blockquote>inner</blockquote> tail</blockquote>")
    assert len(c.blockquotes) == 1
    assert "outer" in c.blockquotes[0].text and "inner" in c.blockquotes[0].text


@pytest.mark.parametrize("broken", ["<p>unclosed <b>bold", "<<<>>>", "<a href='x", "</p></div>text", "<p <p>x"])
def test_broken_html_never_raises(broken):
    assert isinstance(html_to_text(broken), str)


def test_one_line():
    assert one_line(" a \n\n b\tc ") == "a b c"


def test_text_to_html_escapes_everything_a_browser_would_read():
    assert text_to_html("a < b & <script>x</script>") == "a &lt; b &amp; &lt;script&gt;x&lt;/script&gt;"
    assert text_to_html("one\ntwo\n\nthree") == "<p>one<br>two</p><p>three</p>"


_word = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=8)


@given(st.lists(st.tuples(_word, st.sampled_from([" ", "\n", "\n\n"])), min_size=1, max_size=12))
def test_plain_text_survives_html_and_back(pieces):
    """Text whose white space is already what HTML keeps comes back exactly."""
    text = "".join(w + sep for w, sep in pieces)[: -len(pieces[-1][1])]
    assert html_to_text(text_to_html(text)) == text
