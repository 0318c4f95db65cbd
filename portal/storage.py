"""Private file storage: certificate scans, payment vouchers and aid proofs, kept out of the web
server's reach and served only by views that check who asks."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files kept outside MEDIA_ROOT, in PRIVATE_MEDIA_ROOT as it is set when a file is read or written
    (not when the model was loaded). The web server never serves them."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def private_storage():
    """Where certificate scans, vouchers and aid proofs are kept, served only by a view that checks who asks."""
    return PrivateStorage()
