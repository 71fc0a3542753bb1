"""Reading a page as a user reads it: the cells of a table, whitespace folded.

`css` names an element as `tag` or `tag.class` (one class); the first match is read.
"""

import lxml.html


def _text(element):
    return " ".join(element.text_content().split())


def _find(html, css):
    tag, _, class_name = css.partition(".")
    condition = f"[contains(concat(' ', normalize-space(@class), ' '), ' {class_name} ')]" if class_name else ""
    return lxml.html.fromstring(html).xpath(f"//{tag}{condition}")[0]


def table_rows(html, css="table"):
    """The body rows of a table, each as the list of its cells' texts (a nested table stays in its cell)."""
    table = _find(html, css)
    return [[_text(cell) for cell in row.xpath("./td|./th")] for row in table.xpath("./tbody/tr|./tr")]


def table_heads(html, css="table"):
    """The column headings of a table."""
    return [_text(cell) for cell in _find(html, css).xpath("./thead/tr/th")]


def links(html, css="table"):
    """The (address, text) of every link inside an element."""
    return [(a.get("href"), _text(a)) for a in _find(html, css).xpath(".//a")]
