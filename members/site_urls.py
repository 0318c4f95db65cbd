"""Members' addresses outside /membership/ (included at the site's root, in every language)."""

from django.urls import path

from . import views

urlpatterns = [
    # Wagtail's sign-in for restricted pages goes through the site's login.
    path("_util/login/", views.page_login, name="wagtailcore_login"),
    path("members/directory/", views.directory, name="member_directory"),
    # 收据核验: the address printed on every receipt.
    path("receipts/verify/<str:code>/", views.verify_receipt, name="receipt_verify"),
]
