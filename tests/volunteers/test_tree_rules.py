"""Pages of the volunteer and aid sections: slugs their own views answer are refused, a drive's
questions and a campaign's partners are translated with their page, and the account bar leads
counsellors and beneficiaries to their aid areas."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.models import Locale

from tests.aid.factories import make_counsellor, make_programme, register_case
from tests.conftest import make_user, translate_page
from tests.volunteers.factories import login, make_campaign, make_drive, volunteer_index
from volunteers.models import CampaignPage, CampaignPartner, RecruitmentPage, RecruitmentQuestion

pytestmark = pytest.mark.django_db


def _translate_section(home_page):
    """The 繁體 home page and volunteer section, which translated drives and campaigns live under."""
    if home_page.get_translation_or_none(Locale.objects.get(language_code="zh-hant")) is None:
        translate_page(home_page, "zh-hant")
    translate_page(volunteer_index(home_page), "zh-hant")


@pytest.mark.parametrize("slug", ["my", "activities"])
def test_a_drive_cannot_take_a_slug_the_section_views_answer(home_page, slug):
    drive = make_drive(home_page)
    drive.slug = slug

    with pytest.raises(ValidationError) as refused:
        drive.full_clean()

    assert "slug" in refused.value.message_dict


@pytest.mark.parametrize("slug", ["my", "cases"])
def test_a_programme_cannot_take_a_slug_the_aid_views_answer(home_page, slug):
    programme = make_programme(home_page)
    programme.slug = slug

    with pytest.raises(ValidationError) as refused:
        programme.full_clean()

    assert "slug" in refused.value.message_dict


def test_other_slugs_are_fine(home_page):
    drive = make_drive(home_page)
    drive.slug = "xinliju-2027"
    drive.full_clean()


def test_a_translated_drive_asks_its_questions_in_its_own_language(home_page):
    drive = make_drive(home_page, questions=(("是否有舞台表演经验？", "yes-no"),))
    _translate_section(home_page)

    copy = translate_page(drive, "zh-hant")
    question = copy.questions.get()
    question.label = "是否有舞臺表演經驗？"
    question.save()

    original = RecruitmentPage.objects.get(pk=drive.pk).questions.get()
    assert (original.locale.language_code, original.label) == ("zh-hans", "是否有舞台表演经验？")
    assert question.locale.language_code == "zh-hant"
    assert question.translation_key == original.translation_key
    assert RecruitmentQuestion.objects.count() == 2


def test_a_translated_campaign_keeps_its_partners_per_language(home_page):
    campaign = make_campaign(home_page)
    campaign.partners.add(CampaignPartner(name="中山区桃源街道", role="协办"))
    campaign.save_revision().publish()
    _translate_section(home_page)

    copy = translate_page(campaign, "zh-hant")

    assert [p.locale.language_code for p in copy.partners.all()] == ["zh-hant"]
    original = CampaignPage.objects.get(pk=campaign.pk)
    assert [(p.locale.language_code, p.name) for p in original.partners.all()] == [("zh-hans", "中山区桃源街道")]


def test_the_account_bar_leads_counsellors_and_beneficiaries_to_their_aid_areas(home_page):
    programme = make_programme(home_page)
    counsellor = make_counsellor(programme)
    case = register_case(programme)
    plain = make_user("plain@example.com")

    as_counsellor = login(counsellor.user).get("/").content.decode()
    as_beneficiary = login(case.registrant).get("/").content.decode()
    as_plain = login(plain).get("/").content.decode()
    anonymous = Client().get("/").content.decode()

    assert "/aid/cases/" in as_counsellor and "我负责的援助案例" in as_counsellor
    assert "/aid/my/" in as_beneficiary and "我的援助" in as_beneficiary
    for page in (as_plain, anonymous):
        assert "我负责的援助案例" not in page and "我的援助" not in page
