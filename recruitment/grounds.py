"""How a ground of deferment or exemption is written (no model here: models and rules both use it)."""

import re

from django.utils.translation import gettext as _

_GROUND_CODE = re.compile(r"^(?P<article>\d+)\.(?P<clause>\d+)(?P<point>\w)$")


def ground_in_words(code):
    """A ground of Luật NVQS 2015 Điều 41 as the law cites it: "41.1c" → "điểm c khoản 1 Điều 41". One function
    for every page and file that shows a ground; a code that is not article.clause+point is shown as stored."""
    match = _GROUND_CODE.match(code or "")
    if not match:
        return code or ""
    return _("point %(point)s, clause %(clause)s, Article %(article)s") % match.groupdict()
