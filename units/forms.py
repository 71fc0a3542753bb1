"""Form helpers every app shares."""


def attach_errors(form, exc):
    """Show a service's ValidationError on the form: field errors beside their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
