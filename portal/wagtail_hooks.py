"""What the portal adds to the Wagtail admin for everyone who works in it."""

from wagtail import hooks

from portal.avatars import initials_avatar_url


@hooks.register("get_avatar_url")
def initials_avatar(user, size):
    return initials_avatar_url(user, size)
