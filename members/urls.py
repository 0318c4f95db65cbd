from django.urls import path

from . import views

urlpatterns = [
    path("", views.membership_home, name="membership_home"),
    path("invoices/<int:pk>/transfer/", views.pay_by_transfer, name="membership_pay_by_transfer"),
    path("payments/<int:pk>/receipt.pdf", views.receipt, name="membership_receipt"),
    path("payments/<int:pk>/voucher/", views.voucher, name="membership_voucher"),
    path("apply/", views.apply, name="membership_apply"),
    path("applications/<int:pk>/certificate/", views.certificate_scan, name="membership_certificate_scan"),
]
