"""E-mail subscriptions: subscribe, confirm (double opt-in), digest, one-click unsubscribe, purge.

The end-to-end test goes through a real SMTP server on loopback (aiosmtpd), so the headers checked
are the ones that really left Django's SMTP backend.
"""

import time
from collections import Counter
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from core.public_forms import make_stamp
from members.models import Organisation
from news.models import ArticlePage
from subscriptions import tokens
from subscriptions.digest import period_end
from subscriptions.models import Digest, Subscriber
from tests.editorial import add_article, add_event, theme
from tests.subscription_helpers import (
    Crash,
    CrashOnSecondMessageBackend,
    SMTPServer,
    html_part,
    link,
    text_part,
)

pytestmark = pytest.mark.django_db


def subscribe_data(address, **extra):
    data = {
        "email": address,
        "news": "on",
        "events": "on",
        "frequency": "weekly",
        "consentement": "on",
        "debut": make_stamp(time.time() - 10),
        "site_web": "",
    }
    data.update(extra)
    if data["debut"] == "now":
        data["debut"] = make_stamp(time.time())
    return {key: value for key, value in data.items() if value is not None}


def path_of(url):
    parts = urlsplit(url)
    return parts.path


def in_a_week():
    return (timezone.now() + timedelta(days=8)).isoformat()


@pytest.fixture
def quiet_demo():
    """The demo's subscribers would get digests too: pause them so that each test counts its own."""
    Subscriber.objects.update(status=Subscriber.Status.UNSUBSCRIBED)


@pytest.fixture
def smtp(settings, quiet_demo):
    with SMTPServer(refuse={"absent@example.net"}) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield server.handler


def article_form(title, slug):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "lead": "Un atelier pour apprendre à réparer son ordinateur.",
            "body": streamfield([("paragraph", rich_text("<p>Texte.</p>"))]),
            "comments": inline_formset([]),
            "action-submit": "1",
        }
    )


def publish_through_moderation(title, slug):
    """The member editor submits, the park's moderator approves: the article goes live."""
    User = get_user_model()
    editor, moderator = Client(), Client()
    editor.force_login(User.objects.get(username="asoft"))
    moderator.force_login(User.objects.get(username="parc"))
    folder = Organisation.objects.get(slug="asoft").news_page
    response = editor.post(
        reverse("wagtailadmin_pages:add", args=["news", "articlepage", folder.pk]),
        article_form(title, slug),
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug=slug)
    assert not page.live
    task_state = page.current_workflow_task_state
    moderator.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": ""},
    )
    page.refresh_from_db()
    assert page.live
    return page


def test_subscribe_confirm_digest_and_one_click_unsubscribe_over_real_smtp(
    client, smtp, django_assert_max_num_queries
):
    client.get("/")  # the site frame (menus, settings) is cached for every page: warm it first
    with django_assert_max_num_queries(20):
        response = client.get("/abonnement/")
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()

    response = client.post("/abonnement/", subscribe_data("Camille@Example.org"))
    assert response.status_code == 302 and response["Location"].endswith("?merci=1")
    subscriber = Subscriber.objects.get(email="camille@example.org")
    assert subscriber.status == Subscriber.Status.PENDING and subscriber.language == "fr"
    assert "désabonner" in subscriber.consent_text

    (confirmation,) = smtp.to("camille@example.org")
    assert confirmation["List-Unsubscribe"].strip().startswith("<http")
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    confirm_url = link(text_part(confirmation), r"https?://\S+/abonnement/confirmer/\S+/")
    assert confirm_url in html_part(confirmation)

    # Following the link shows a button (a link checker that opens it confirms nothing)...
    response = client.get(path_of(confirm_url))
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    # ...pressing it confirms.
    response = client.post(path_of(confirm_url))
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE and subscriber.last_digest_at is not None

    article = publish_through_moderation("Atelier réparation à Buis", "atelier-reparation-buis")

    out = StringIO()
    call_command("send_digests", at=in_a_week(), stdout=out)
    digests = [m for m in smtp.to("camille@example.org") if "Atelier" in text_part(m)]
    assert len(digests) == 1, out.getvalue()
    digest = digests[0]
    unsubscribe = tokens.unsubscribe_url(subscriber)
    assert digest["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest.get_content_type() == "multipart/alternative"
    html = html_part(digest)
    assert '<html lang="fr">' in html and article.title in html
    assert tokens.preferences_url(subscriber) in html and unsubscribe in html
    assert "/actualites/asoft/atelier-reparation-buis/" in text_part(digest)
    log = Digest.objects.get(subscriber=subscriber)
    assert log.status == Digest.Status.SENT and log.articles_count == 1

    # Running again sends nothing: the period is done.
    before = len(smtp.messages)
    call_command("send_digests", at=in_a_week(), stdout=StringIO())
    assert len(smtp.messages) == before

    # The mail client's one-click button: a POST with no cookie and no CSRF token.
    one_click = Client(enforce_csrf_checks=True)
    response = one_click.post(
        path_of(unsubscribe),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.unsubscribed_at

    add_article(Organisation.objects.get(slug="asoft").news_page, "Encore un article", days_ago=0)
    call_command(
        "send_digests", at=(timezone.now() + timedelta(days=15)).isoformat(), stdout=StringIO()
    )
    assert len(smtp.messages) == before


def test_a_refused_recipient_is_recorded_as_a_bounce(smtp):
    subscriber = Subscriber.objects.create(
        email="absent@example.net", status=Subscriber.Status.ACTIVE, last_digest_at=timezone.now()
    )
    add_article(Organisation.objects.get(slug="asoft").news_page, "Un article pour personne")
    call_command("send_digests", at=in_a_week(), stdout=StringIO())
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED and subscriber.bounce_count == 1
    assert Digest.objects.get(subscriber=subscriber).status == Digest.Status.FAILED


def test_a_crash_halfway_never_sends_the_same_digest_twice(settings, quiet_demo):
    start = timezone.now()
    subscribers = [
        Subscriber.objects.create(
            email=f"lecteur{n}@example.org", status=Subscriber.Status.ACTIVE, last_digest_at=start
        )
        for n in range(3)
    ]
    add_article(Organisation.objects.get(slug="asoft").news_page, "Un article à envoyer")
    settings.EMAIL_BACKEND = "tests.subscription_helpers.CrashOnSecondMessageBackend"
    CrashOnSecondMessageBackend.delivered = 0
    mail.outbox = []
    with pytest.raises(Crash):
        call_command("send_digests", at=in_a_week(), batch_size=2, stdout=StringIO())
    assert [m.to for m in mail.outbox] == [[subscribers[0].email]]
    statuses = dict(Digest.objects.values_list("subscriber__email", "status"))
    assert statuses == {subscribers[0].email: "sent", subscribers[1].email: "sending"}

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_digests", at=in_a_week(), stdout=StringIO())
    call_command("send_digests", at=in_a_week(), stdout=StringIO())
    received = Counter(address for m in mail.outbox for address in m.to)
    assert received == {subscribers[0].email: 1, subscribers[2].email: 1}
    assert Digest.objects.filter(status="sent").count() == 2


def test_no_news_means_no_email_and_dry_run_sends_nothing(quiet_demo):
    quiet = Subscriber.objects.create(
        email="calme@example.org", status=Subscriber.Status.ACTIVE, last_digest_at=timezone.now()
    )
    mail.outbox = []
    call_command("send_digests", at=in_a_week(), stdout=StringIO())
    assert mail.outbox == [] and not Digest.objects.exists()
    quiet.refresh_from_db()
    assert quiet.last_digest_at == period_end("weekly", timezone.now() + timedelta(days=8))

    busy = Subscriber.objects.create(
        email="curieux@example.org", status=Subscriber.Status.ACTIVE, last_digest_at=timezone.now()
    )
    add_article(Organisation.objects.get(slug="asoft").news_page, "Une nouvelle")
    out = StringIO()
    call_command("send_digests", "--dry-run", at=in_a_week(), stdout=out)
    assert mail.outbox == [] and not Digest.objects.exists()
    assert "curieux@example.org: enverrait 1 article(s)" in out.getvalue()
    busy.refresh_from_db()
    assert busy.last_digest_at < timezone.now()


def test_digest_holds_only_what_matches_the_subscription(quiet_demo):
    start = timezone.now()
    asoft = Organisation.objects.get(slug="asoft")
    cigale = (
        Organisation.objects.get(slug="la-cigale-de-nyons")
        if Organisation.objects.filter(slug="la-cigale-de-nyons").exists()
        else Organisation.objects.exclude(pk=asoft.pk).first()
    )
    numerique = theme("culture-numerique")
    add_article(asoft.news_page, "Numérique chez ASOFT", themes=[numerique])
    add_article(asoft.news_page, "Économie chez ASOFT", themes=[theme("developpement-economique")])
    add_article(cigale.news_page, "Numérique ailleurs", themes=[numerique])
    event_start = timezone.now() + timedelta(days=70)
    add_event(
        asoft.events_page,
        "Atelier à venir",
        event_start,
        event_start + timedelta(hours=2),
        themes=[numerique],
    )

    narrowed = Subscriber.objects.create(
        email="etroit@example.org", status="active", last_digest_at=start, events=False
    )
    narrowed.themes.set(
        [theme("culture-numerique", "en")]
    )  # chosen on the English form: same theme
    narrowed.organisations.set([asoft])
    everything = Subscriber.objects.create(
        email="tout@example.org", status="active", last_digest_at=start, frequency="monthly"
    )
    mail.outbox = []
    call_command(
        "send_digests", at=(timezone.now() + timedelta(days=40)).isoformat(), stdout=StringIO()
    )
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "Numérique chez ASOFT" in by_address["etroit@example.org"]
    assert "Économie chez ASOFT" not in by_address["etroit@example.org"]
    assert "Numérique ailleurs" not in by_address["etroit@example.org"]
    assert "Atelier à venir" not in by_address["etroit@example.org"]
    for title in (
        "Numérique chez ASOFT",
        "Économie chez ASOFT",
        "Numérique ailleurs",
        "Atelier à venir",
    ):
        assert title in by_address["tout@example.org"]
    assert everything.digests.get().events_count == 1


def test_english_subscriber_gets_an_english_digest(client):
    response = client.post("/en/abonnement/", subscribe_data("sam@example.org"))
    assert response.status_code == 302
    subscriber = Subscriber.objects.get(email="sam@example.org")
    assert subscriber.language == "en"
    (confirmation,) = mail.outbox
    assert "Confirm your subscription" in confirmation.subject
    assert "/en/abonnement/confirmer/" in confirmation.body
    client.post(path_of(link(confirmation.body, r"https?://\S+/confirmer/\S+/")))
    subscriber.refresh_from_db()
    assert subscriber.status == "active"


def test_an_address_already_subscribed_is_not_revealed(client):
    Subscriber.objects.create(
        email="deja@example.org", status="active", last_digest_at=timezone.now()
    )
    response = client.post("/abonnement/", subscribe_data("deja@example.org"))
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "déjà abonné" in message.subject
    assert Subscriber.objects.get(email="deja@example.org").status == "active"


@pytest.mark.parametrize(
    "extra, error",
    [
        ({"site_web": "http://spam.example"}, "pas pu être envoyé"),
        ({"debut": "now"}, "trop vite"),
        ({"debut": "forged"}, "expiré"),
        ({"consentement": None}, "Cochez cette case"),
        ({"news": None, "events": None}, "les deux"),
        ({"email": "pas-une-adresse"}, "adresse de courriel valide"),
        ({"themes": "999999"}, "n&#x27;existe pas"),
        ({"communes": "00000"}, "ne fait pas partie de la liste"),
        ({"frequency": "daily"}, "Choisissez une fréquence"),
    ],
)
def test_bad_submissions_are_refused_with_a_message(client, extra, error):
    response = client.post("/abonnement/", subscribe_data("bot@example.org", **extra))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Subscriber.objects.filter(email="bot@example.org").exists()
    assert mail.outbox == []


def test_too_many_submissions_from_one_address_are_refused(client, settings):
    settings.FORM_RATE_LIMIT = 2
    for n in range(2):
        assert client.post("/abonnement/", subscribe_data(f"n{n}@example.org")).status_code == 302
    response = client.post("/abonnement/", subscribe_data("n3@example.org"))
    assert response.status_code == 429
    assert not Subscriber.objects.filter(email="n3@example.org").exists()


def test_bad_and_expired_links_answer_400(client, settings):
    subscriber = Subscriber.objects.create(email="lien@example.org")
    for path in (
        "/abonnement/confirmer/nimporte-quoi/",
        "/abonnement/preferences/x:y:z/",
        "/abonnement/desabonnement/abc/",
    ):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "Lien non valable" in response.content.decode()
    # A preferences token does not confirm, and a confirmation token does not manage.
    assert (
        client.get(
            reverse(
                "subscriptions:confirm", args=[tokens.make_token(subscriber, tokens.MANAGE_SALT)]
            )
        ).status_code
        == 400
    )
    settings.SUBSCRIPTIONS_CONFIRM_DAYS = -1
    response = client.post(path_of(tokens.confirm_url(subscriber)))
    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == "pending"


def test_preferences_page_changes_the_subscription(client):
    subscriber = Subscriber.objects.create(
        email="prefs@example.org", status="active", last_digest_at=timezone.now()
    )
    url = path_of(tokens.preferences_url(subscriber))
    response = client.get(url)
    assert response.status_code == 200 and "prefs@example.org" in response.content.decode()
    numerique = theme("culture-numerique")
    response = client.post(
        url,
        {
            "events": "on",
            "themes": [numerique.pk],
            "frequency": "monthly",
            "language": "en",
            "communes": ["26063"],
        },
    )
    assert response.status_code == 200 and "Vos choix sont enregistrés" in response.content.decode()
    subscriber.refresh_from_db()
    assert (subscriber.news, subscriber.events, subscriber.frequency, subscriber.language) == (
        False,
        True,
        "monthly",
        "en",
    )
    assert subscriber.theme_keys == {numerique.translation_key}


def test_purge_deletes_stale_pending_and_unsubscribed_addresses():
    old = timezone.now() - timedelta(days=31)
    stale_pending = Subscriber.objects.create(email="jamais@example.org")
    fresh_pending = Subscriber.objects.create(email="bientot@example.org")
    gone = Subscriber.objects.create(
        email="parti@example.org", status="unsubscribed", unsubscribed_at=old
    )
    recently_gone = Subscriber.objects.create(
        email="hier@example.org", status="unsubscribed", unsubscribed_at=timezone.now()
    )
    active = Subscriber.objects.create(
        email="fidele@example.org", status="active", last_digest_at=old
    )
    Subscriber.objects.filter(pk__in=[stale_pending.pk, gone.pk, active.pk]).update(created_at=old)
    out = StringIO()
    call_command("purge_subscriptions", stdout=out)
    assert "2 adresse(s)" in out.getvalue()
    assert set(Subscriber.objects.values_list("pk", flat=True)) >= {
        fresh_pending.pk,
        recently_gone.pk,
        active.pk,
    }
    assert not Subscriber.objects.filter(pk__in=[stale_pending.pk, gone.pk]).exists()


def test_anymail_tracking_signal_records_bounces_and_complaints():
    from anymail.signals import AnymailTrackingEvent, tracking

    bounced = Subscriber.objects.create(email="rebond@example.org", status="active")
    complained = Subscriber.objects.create(email="plainte@example.org", status="active")
    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(event_type="bounced", recipient="Rebond@example.org"),
        esp_name="Brevo",
    )
    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(event_type="complained", recipient="plainte@example.org"),
        esp_name="Mailjet",
    )
    bounced.refresh_from_db()
    complained.refresh_from_db()
    assert bounced.status == "bounced" and bounced.bounce_count == 1
    assert complained.status == "complained"


def test_staff_see_counts_past_digests_and_a_preview(client, quiet_demo):
    User = get_user_model()
    subscriber = Subscriber.objects.create(
        email="apercu@example.org", status="active", last_digest_at=timezone.now()
    )
    add_article(Organisation.objects.get(slug="asoft").news_page, "Article pour l'aperçu")
    client.force_login(User.objects.get(username="parc"))
    response = client.get(reverse("subscriptions_report:index"), {"subscriber": subscriber.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Article pour l&#x27;aperçu" in body or "Article pour l'aperçu" in body
    assert "apercu@example.org" in body
    html = client.get(reverse("subscriptions_report:preview_html", args=[subscriber.pk]))
    assert html.status_code == 200 and "Article pour l" in html.content.decode()
    assert client.get(reverse("subscribers:index")).status_code == 200
    assert client.get(reverse("digests:index")).status_code == 200

    client.force_login(User.objects.get(username="asoft"))
    assert client.get(reverse("subscriptions_report:index")).status_code in (302, 403)
    assert client.get(reverse("subscribers:index")).status_code in (302, 403)


def test_demo_has_confirmed_subscribers():
    assert Subscriber.objects.filter(status="active", email__endswith="@example.org").count() >= 3
