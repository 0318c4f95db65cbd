"""The site-wide addresses of the home app (included at the site's root by portal/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [path("share/qr.svg", views.share_qr, name="share_qr")]
