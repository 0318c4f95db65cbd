"""What the portal adds to Wagtail: the admin's avatars, and which page answered a request."""

from wagtail import hooks

from portal.avatars import initials_avatar_url


@hooks.register("get_avatar_url")
def initials_avatar(user, size):
    return initials_avatar_url(user, size)


@hooks.register("before_serve_page")
def remember_served_page(page, request, serve_args, serve_kwargs):
    """The page cache reads which page type answered (its query parameters are named by page type)."""
    request.served_page = page
