"""单位联系人: an organisation's own account names the people who may act for it, by the e-mail of
their account, and removes them; nobody else keeps its list."""

import pytest
from django.test import Client

from members.models import OrganisationContact
from tests.conftest import make_user, sign_in
from tests.members.factories import make_member
from tests.portal.factories import html

pytestmark = pytest.mark.django_db

CONTACTS = "/membership/contacts/"


@pytest.fixture
def organisation(db):
    return make_member("centre@example.com", number="DL-T-0001", type_name="团体会员", full_name="大连市阳光心理中心")


@pytest.fixture
def organisation_client(organisation) -> Client:
    return client_for(organisation.user)


@pytest.fixture
def person(db):
    """Someone with an account (and a membership of their own) to be named a contact."""
    return make_member("li@example.com", number="DL-2020-0002", full_name="李秀英").user


def client_for(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.mark.parametrize("type_name", ["团体会员", "分支机构"])
def test_an_organisation_adds_a_contact_by_their_account_email_and_sees_them_listed(person, type_name):
    organisation = make_member("org@example.com", number="DL-T-0009", type_name=type_name, full_name="青少年分会")
    client = client_for(organisation.user)

    added = client.post(CONTACTS, {"email": "  LI@Example.com ", "role": "秘书长"})
    page = html(client.get(CONTACTS))

    assert added.status_code == 302 and added["Location"] == CONTACTS
    contact = OrganisationContact.objects.get()
    assert (contact.organisation, contact.user, contact.role) == (organisation, person, "秘书长")
    assert "联系人已添加，对方现在可以代表本单位填报。" in page
    assert "李秀英" in page and "li@example.com" in page and "秘书长" in page
    assert "还没有添加联系人。" not in page


def test_a_contact_without_a_membership_is_listed_by_their_account(organisation, organisation_client):
    make_user("wang@example.com")

    organisation_client.post(CONTACTS, {"email": "wang@example.com", "role": ""})
    page = html(organisation_client.get(CONTACTS))

    assert OrganisationContact.objects.get().user.email == "wang@example.com"
    assert "wang@example.com" in page


def test_an_unknown_email_is_refused_and_nothing_is_saved(organisation_client):
    response = organisation_client.post(CONTACTS, {"email": "nobody@example.com", "role": "秘书长"})

    assert response.status_code == 200
    page = html(response)
    assert "没有使用这个邮箱注册的账户" in page and "联系人未能添加，请按提示修改。" in page
    assert 'value="nobody@example.com"' in page
    assert not OrganisationContact.objects.exists()


def test_an_address_that_is_not_an_email_is_refused(organisation_client):
    response = organisation_client.post(CONTACTS, {"email": "li at example", "role": ""})

    assert response.status_code == 200
    assert "联系人未能添加，请按提示修改。" in html(response)
    assert not OrganisationContact.objects.exists()


def test_the_same_person_cannot_be_added_twice(organisation, organisation_client, person):
    organisation_client.post(CONTACTS, {"email": "li@example.com", "role": "秘书长"})

    again = organisation_client.post(CONTACTS, {"email": "li@example.com", "role": "主任"})

    assert again.status_code == 200
    assert "此人已经是本单位的联系人。" in html(again)
    assert list(OrganisationContact.objects.values_list("user", "role")) == [(person.pk, "秘书长")]


def test_the_organisations_own_account_is_not_added(organisation, organisation_client):
    response = organisation_client.post(CONTACTS, {"email": "centre@example.com", "role": ""})

    assert response.status_code == 200
    assert "这是本单位自己的账户，无需添加。" in html(response)
    assert not OrganisationContact.objects.exists()


def test_the_same_person_may_act_for_two_organisations(organisation, organisation_client, person):
    other = make_member("other@example.com", number="DL-T-0002", type_name="分支机构", full_name="婚姻家庭分会")

    organisation_client.post(CONTACTS, {"email": "li@example.com"})
    client_for(other.user).post(CONTACTS, {"email": "li@example.com"})

    assert set(OrganisationContact.objects.values_list("organisation", flat=True)) == {organisation.pk, other.pk}


def test_removing_a_contact_takes_them_off_the_list(organisation, organisation_client, person):
    contact = OrganisationContact.objects.create(organisation=organisation, user=person, role="秘书长")

    removed = organisation_client.post(CONTACTS, {"remove": contact.pk})
    page = html(organisation_client.get(CONTACTS))

    assert removed.status_code == 302
    assert not OrganisationContact.objects.exists()
    assert "联系人已移除。" in page and "还没有添加联系人。" in page
    assert "li@example.com" not in page


def test_an_organisation_cannot_remove_another_organisations_contact(organisation_client, person):
    other = make_member("other@example.com", number="DL-T-0002", type_name="分支机构", full_name="婚姻家庭分会")
    theirs = OrganisationContact.objects.create(organisation=other, user=person)

    organisation_client.post(CONTACTS, {"remove": theirs.pk})

    assert OrganisationContact.objects.filter(pk=theirs.pk).exists()
    assert "li@example.com" not in html(organisation_client.get(CONTACTS))


@pytest.mark.parametrize("who", ["individual member", "account without membership", "contact of the organisation"])
def test_only_the_organisations_own_account_keeps_its_contacts(organisation, person, who):
    contact = OrganisationContact.objects.create(organisation=organisation, user=person, role="秘书长")
    if who == "individual member":
        user = make_member("zhao@example.com", number="DL-2020-0005", full_name="赵敏").user
    elif who == "account without membership":
        user = make_user("guest@example.com")
    else:
        user = person
    client = client_for(user)

    shown = client.get(CONTACTS)
    removing = client.post(CONTACTS, {"remove": contact.pk})
    adding = client.post(CONTACTS, {"email": "zhao@example.com", "role": ""})

    assert (shown.status_code, removing.status_code, adding.status_code) == (404, 404, 404)
    assert list(OrganisationContact.objects.all()) == [contact]


def test_an_anonymous_reader_is_asked_to_sign_in():
    response = Client().get(CONTACTS)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={CONTACTS}"
