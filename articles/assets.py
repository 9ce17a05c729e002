"""Our stylesheets and scripts as browsers get them: without the comments.

The comments explain the code to the people who maintain it; a browser only downloads
them, and they are a fifth of reader.js's compressed bytes. Both functions take out
comments only, never code, so the files run exactly as written. Used by `collectstatic`
(`StaticFilesStorage`, before files are hashed and compressed) and by the stylesheets
inlined into pages (articles/templatetags/assets.py). Vendored files (htmx, the admin's)
are left as they come.
"""

import re
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

# A quoted string (kept as it is: it may hold "/*"), a comment on lines of its own, or a
# comment among code.
CSS_STRING_OR_COMMENT = re.compile(
    r"""(?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')"""
    r"|(?P<lines>^[ \t]*/\*.*?\*/[ \t]*\n)"
    r"|/\*.*?\*/",
    re.S | re.M,
)


def strip_css_comments(css):
    """Comments out of `css`: whole lines go; one among code becomes a space, as the CSS
    tokenizer reads it (`1px/**/2px` is two values, `1px2px` would be one)."""

    def replace(match):
        if match["string"]:
            return match["string"]
        return "" if match["lines"] else " "

    return CSS_STRING_OR_COMMENT.sub(replace, css)


def strip_js_comment_lines(js):
    """`js` without its lines that hold nothing but a // comment.

    Line by line rather than a parse: a whole-line comment can go without changing what
    the script means, whatever the code around it. A line is code, not a comment, inside
    a template literal that spans lines or after a line continued with a backslash; a
    file where backticks cannot be paired line by line is returned as it is.
    """
    kept, in_template, continued = [], False, False
    lines = js.split("\n")
    for line in lines:
        if not in_template and not continued and line.lstrip().startswith("//"):
            continue
        kept.append(line)
        if not line.lstrip().startswith("//"):
            in_template ^= line.replace("\\`", "").count("`") % 2 == 1
        continued = line.endswith("\\")
    if in_template:
        return js
    return "\n".join(kept)


STRIPPERS = {".css": strip_css_comments, ".js": strip_js_comment_lines}
# Our own static folders; everything else is vendored.
OWN_PREFIXES = ("css/", "js/", "articles/")


class StrippedSource:
    """A source storage of collectstatic whose file opens as its stripped `content`:
    the hashed copies are made from what the source storage opens."""

    def __init__(self, storage, content):
        self.storage, self.content = storage, content

    def open(self, path, mode="rb"):
        return ContentFile(self.content, name=path)

    def __getattr__(self, name):
        return getattr(self.storage, name)


def stripper_for(name):
    if name.startswith(OWN_PREFIXES) and not name.endswith(".min.js"):
        return STRIPPERS.get(PurePosixPath(name).suffix)
    return None


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's hashed, precompressed files, our own stylesheets and scripts first
    stripped of comments (so the hashes are of what is served)."""

    def post_process(self, paths, dry_run=False, **options):
        if not dry_run:
            paths = dict(paths)
            for name, (storage, path) in paths.items():
                if strip := stripper_for(name):
                    with storage.open(path) as handle:
                        content = strip(handle.read().decode("utf-8")).encode("utf-8")
                    paths[name] = (StrippedSource(storage, content), path)
                    self.delete(name)
                    self.save(name, ContentFile(content))  # the unhashed copy, also served
        yield from super().post_process(paths, dry_run=dry_run, **options)
