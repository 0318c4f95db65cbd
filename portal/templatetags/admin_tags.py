"""Small helpers for the portal's overrides of Wagtail admin templates."""

from django import template

register = template.Library()


@register.simple_tag
def set_placeholder(form, field: str, text: str) -> str:
    """Give a form field built in Wagtail's code the placeholder of the site's own catalogue."""
    form.fields[field].widget.attrs["placeholder"] = text
    return ""
