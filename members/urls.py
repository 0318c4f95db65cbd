from django.urls import path

from . import account_views, views

urlpatterns = [
    path("", views.membership_home, name="membership_home"),
    path("profile/", views.profile, name="membership_profile"),
    path("contacts/", views.contacts, name="membership_contacts"),
    path("invoices/<int:pk>/transfer/", views.pay_by_transfer, name="membership_pay_by_transfer"),
    path("invoices/<int:pk>/online/", views.pay_online, name="membership_pay_online"),
    path("sandbox/pay/<str:key>/", views.sandbox_pay, name="membership_sandbox_pay"),
    path("payments/notify/<str:provider>/", views.payment_notification, name="membership_payment_notification"),
    path("payments/<int:pk>/receipt.pdf", views.receipt, name="membership_receipt"),
    path("payments/<int:pk>/voucher/", views.voucher, name="membership_voucher"),
    path("apply/", views.apply, name="membership_apply"),
    path("applications/<int:pk>/certificate/", views.certificate_scan, name="membership_certificate_scan"),
    # 账户与隐私: one's own data and closing the account (any signed-in person, member or not).
    path("privacy/", account_views.privacy_page, name="account_privacy"),
    path("privacy/download/<str:fmt>/", account_views.download, name="account_data_download"),
    path("privacy/close/", account_views.close, name="account_close"),
    path("privacy/close/cancel/", account_views.cancel, name="account_close_cancel"),
]
