"""Comments come out of our own stylesheets and scripts before browsers get them
(articles/assets.py): only comments, so what the browser runs is unchanged."""

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from articles.assets import strip_css_comments, strip_js_comment_lines


def test_it_strips_css_comments_but_not_strings_that_look_like_them():
    css = '/* head\n   more */\np { color: red; } /* why */\na::after { content: "/* not a comment */"; }\n'
    assert strip_css_comments(css) == 'p { color: red; }  \na::after { content: "/* not a comment */"; }\n'
    assert strip_css_comments("a { margin: 1px/**/2px; }") == "a { margin: 1px 2px; }"


def test_it_keeps_single_quoted_strings_and_escaped_quotes():
    css = "a::before { content: '\\'/* kept */'; } /* gone */b{}"
    assert strip_css_comments(css) == "a::before { content: '\\'/* kept */'; }  b{}"


def test_it_strips_comment_lines_from_javascript():
    js = "// top\n(function () {\n  // why\n  const a = 1; // kept: code before it\n})();\n"
    assert strip_js_comment_lines(js) == "(function () {\n  const a = 1; // kept: code before it\n})();\n"


def test_it_keeps_lines_inside_a_template_literal_that_spans_lines():
    js = "const t = `first\n// part of the string\nlast`;\n"
    assert strip_js_comment_lines("// gone\n" + js) == js


def test_it_keeps_a_line_continued_from_a_string():
    js = 'const s = "a\\\n// still the string";\n'
    assert strip_js_comment_lines(js) == js


@given(
    st.lists(st.sampled_from(["a = 1;", "// note", "  // indented", "b(`x`);", "", "c = '//';"]), max_size=30)
)
def test_it_removes_exactly_the_comment_lines(lines):
    kept = [line for line in lines if not line.lstrip().startswith("//")]
    assert strip_js_comment_lines("".join(f"{line}\n" for line in lines)) == "".join(
        f"{line}\n" for line in kept
    )


def test_it_strips_the_shipped_files_down_to_their_code():
    from django.contrib.staticfiles import finders

    for path in ("js/reader.js", "js/attribution.js", "js/adjudicate.js"):
        source = Path(finders.find(path)).read_text(encoding="utf-8")
        stripped = strip_js_comment_lines(source)
        assert len(stripped) < 0.95 * len(source)
        assert not any(line.lstrip().startswith("//") for line in stripped.splitlines()), path
    css = strip_css_comments(Path(finders.find("css/app.css")).read_text(encoding="utf-8"))
    assert "/*" not in css and re.search(r"\.article-body \.para \{", css)
