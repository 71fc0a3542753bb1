"""Excel and CSV exchange of the two rosters: export, the import template, and the checked import.

- `columns`: the file format (Vietnamese headers, one spec per roster) and how a value is written and read.
- `reading`: turning an uploaded file into rows, refusing unsafe or malformed files.
- `importing`: the per-row plan (create / update / reject and why) and the all-or-nothing commit.
- `storage`: the parsed upload kept between preview and confirm, under `var/imports/<token>`.
- `exporting`: the roster workbook and CSV, the import template and the rejected-rows workbook.
"""
