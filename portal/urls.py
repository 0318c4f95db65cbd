from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import certificates, twofactor
from portal.search import views as search_views
from portal.sitemap import sitemap_index, sitemap_section

urlpatterns = [
    # The admin signs people in through the site's login, the only one: its rate limits and two-factor apply.
    path("admin/login/", include("members.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap_section"),
    path("", include("home.urls")),
    path("", include("notices.urls")),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("certificates/", certificates.verify, name="certificate_verify"),
    path("certificates/<str:code>/", certificates.verify, name="certificate_code"),
    # allauth's set-up of an authenticator app, which also counts as this session's second factor.
    path("accounts/2fa/totp/activate/", twofactor.activate_totp, name="mfa_activate_totp"),
    # allauth's recovery codes, with a button on to where the set-up interrupted the person.
    path("accounts/2fa/recovery-codes/", twofactor.view_recovery_codes, name="mfa_view_recovery_codes"),
    path("accounts/", include("allauth.urls")),
    path("membership/", include("members.urls")),
    path("", include("members.site_urls")),
    path("experts/", include("experts.urls")),
    path("calls/", include("calls.urls")),
    path("institutions/", include("calls.directory_urls")),
    # The member areas of the volunteer and aid sections, beside their pages (/volunteer/, /aid/).
    path("volunteer/", include("volunteers.urls")),
    path("aid/", include("aid.urls")),
    # Wagtail's front-end URLs: its page view, and the password form of a restricted page.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
