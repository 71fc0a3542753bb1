"""Safe exchange of tabular files (.xlsx / CSV), free of any domain: no models, no app config.

- `columns`: a file column (Vietnamese header, instruction, kind) and the file-language helpers.
- `reading`: an uploaded file → header + rows, refusing unsafe or malformed files (size, rows,
  type by content, zip bomb, missing or repeated columns, empty sheet, repeated IDs).
- `values`: cell parsers shared by imports (dates as text or Excel serials, whole numbers).
- `storage`: a parsed upload kept between preview and confirmation under `var/imports/<token>`.
- `writing`: workbooks and CSV from headers + rows, formula-injection safe; the rejected-rows workbook.
- `documents`: official documents in the Decree 30/2020 layout (one model: header, number, date, title,
  body blocks, recipients, signature) written as Word and PDF, batches as one PDF or a .zip of Word files.

Used by `militia`, `recruitment` and `reports`; it imports nothing of theirs.
"""
