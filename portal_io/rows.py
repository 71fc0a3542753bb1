"""The per-row plan of an import: what each row would do, and why a row is rejected (row, column, value)."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from .values import display_value

CREATE, UPDATE, UNCHANGED, REJECT = "create", "update", "unchanged", "reject"


class ImportAborted(Exception):
    """The commit stopped and wrote nothing; `messages` say why."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


class Reasons:
    """A row's reasons, each naming the row, the column (by its header) and the value."""

    def __init__(self, line, *, display=display_value):
        self.line = line
        self.items = []
        self.display = display

    def __bool__(self):
        return bool(self.items)

    def cell(self, column, value, problem):
        self.items.append(
            _("Row %(line)s, column «%(column)s»: '%(value)s' %(problem)s")
            % {"line": self.line, "column": column.header, "value": self.display(value), "problem": problem}
        )

    def column(self, column, message):
        self.items.append(
            _("Row %(line)s, column «%(column)s»: %(message)s")
            % {"line": self.line, "column": column.header, "message": message}
        )

    def row(self, message):
        self.items.append(_("Row %(line)s: %(message)s") % {"line": self.line, "message": message})

    def validation(self, error, field_columns, columns):
        """A ValidationError's messages, each under the column its field maps to (else for the row)."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.row(message)
            return
        for name, messages in error.message_dict.items():
            key = field_columns.get(name) if name != NON_FIELD_ERRORS else None
            for message in messages:
                if key in columns:
                    self.column(columns[key], message)
                else:
                    self.row(message)


def summarize(plan):
    counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, REJECT: 0}
    for row in plan:
        counts[row["action"] if isinstance(row, dict) else row.action] += 1
    return counts


def action_label(action):
    return {
        CREATE: _("create"),
        UPDATE: _("update"),
        UNCHANGED: _("unchanged"),
        REJECT: _("reject"),
    }[action]
