"""What every form of a submission on the review pipeline shares."""


def require_on_submit(form, names, *, submitting: bool) -> None:
    """Fields a draft may leave empty but a submission needs: required when submitting, and
    marked as required (`required_on_submit`) on the draft, so people see what they will need."""
    for name in names:
        field = form.fields[name]
        field.required_on_submit = True
        if submitting:
            field.required = True
