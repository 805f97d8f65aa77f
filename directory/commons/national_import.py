"""Import and sync of the national "médiation numérique" schema (LaMednum, v1.0.x): the format
of the ANCT's national map, data.inclusion, DORA, Hinaura and France Tiers-Lieux.

``manage.py import_directory FILE`` recognises such a CSV by its header. Each row becomes a place
(``PlacePage``) through the directory's own importer (``directory.importer``: every row checked
before anything is written, French errors with line numbers, ``--dry-run``, progress bar, the same
publication rules as the other imports). On top of it:

- rows whose commune is not in the communes table (by ``code_insee``, else postal code and name)
  are outside the territory: skipped and counted, unless ``--include-outside``;
- the external identity (``id``, ``pivot`` SIRET/RNA, ``source``, ``date_maj``) is kept per entry
  (``ExternalIdentity``): next month's file updates those entries and never duplicates them;
- an entry edited on the site since its last import (a later revision than the one the import
  wrote) is not overwritten: it is reported as a conflict;
- a new row that looks like an existing entry (same SIRET, website domain, similar name in the same
  commune) is not created: it is reported as a possible duplicate, with the entry it resembles;
- rows of our own export (``source`` is this site, ``id`` an entry's key) are recognised: exporting
  then importing the result changes nothing.

Reading and writing a file (``read``, ``run``) are in ``directory/national_import.py``, above the
importer: this module keeps what needs only this app's tables, and never imports the directory.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

MEDIATION_REQUIRED = {"id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj"}
MULTI = "|"
# typologie code (schema) -> PlaceKind slug; anything else becomes a public digital space.
TYPOLOGIE_KINDS = {
    "TIERS_LIEUX": "tiers-lieu",
    "FABLAB": "fab-lab",
    "EPN": "espace-public-numerique",
    "RECYCLERIE": "recyclerie",
    "RESSOURCERIE": "recyclerie",
}
DEFAULT_KIND = "espace-public-numerique"
EXTRA_COLUMNS = (
    "typologie", "publics_specifiquement_adresses", "prise_en_charge_specifique", "frais_a_charge",
    "modalites_acces", "modalites_accompagnement", "courriels", "site_web", "itinerance",
    "dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels",
    "fiche_acces_libre", "prise_rdv", "structure_parente", "complement_adresse",
)  # fmt: skip
SHOWN_EXTRAS = ("publics_specifiquement_adresses", "modalites_acces", "frais_a_charge")


def is_mediation_csv(path):
    path = Path(path)
    if path.suffix.lower() != ".csv" or not path.exists():
        return False
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (UnicodeDecodeError, OSError):
        return False
    return MEDIATION_REQUIRED <= {name.strip() for name in header}


@dataclass
class NationalPlan:
    rows: list = field(default_factory=list)  # importer.Row, ready for importer.apply
    identities: dict = field(default_factory=dict)  # row line -> identity fields
    outside: list = field(default_factory=list)  # lines skipped outside the territory
    conflicts: list = field(default_factory=list)  # (line, page, message)
    duplicates: list = field(default_factory=list)  # (line, page, reason)
    duplicate_rows: dict = field(default_factory=dict)  # line -> ImportedDuplicate fields
    own: int = 0  # rows of our own export, left alone
    errors: list = field(default_factory=list)  # importer.Row with errors


def _split(value):
    return [part.strip() for part in (value or "").split(MULTI) if part.strip()]


def _normal(text):
    from .duplicates import normalise_name

    return normalise_name(text)


def _source(record):
    """The row's ``source`` as stored in its identity (the same value when the file comes back)."""
    return (record.get("source") or "").strip()[:255] or "inconnue"


def _check_extra_values(mails, webs):
    """The second and later e-mails and websites (the first ones go to the entry's fields, which
    the importer checks): kept in the identity and shown on the entry, so checked the same way."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator, validate_email

    problems = []
    for mail in mails:
        try:
            validate_email(mail)
        except ValidationError:
            problems.append(f"courriels : « {mail[:60]} » invalide")
    for web in webs:
        try:
            URLValidator(schemes=["http", "https"])(web)
        except ValidationError:
            problems.append(f"site_web : « {web[:60]} » n'est pas une adresse web")
    return problems


def _free_slug(base, taken):
    """``base``, or ``base-2``, ``base-3``… whichever is not in ``taken`` (which then holds it)."""
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base[:75]}-{number}"
    taken.add(slug)
    return slug


def other_values(identity, name, current):
    """The values of a multi-valued schema column (``courriels``, ``site_web``) beyond the first,
    which the import put in the entry's own field (``current``: that field now)."""
    if identity is None:
        return []
    return [value for value in _split(identity.extra.get(name, ""))[1:] if value != current]


def find_commune(record, vocab):
    insee = (record.get("code_insee") or "").strip()
    if insee and insee in vocab.communes:
        return vocab.communes[insee]
    postal, name = (record.get("code_postal") or "").strip(), _normal(record.get("commune", ""))
    for commune in vocab.communes.values():
        if postal in commune.postal_code.split("|") and _normal(commune.name) == name:
            return commune
    return None


def write_identities(plan):
    """After ``importer.apply``: record or refresh each row's external identity and the revision
    the import wrote (the mark of "not edited on the site since")."""
    from datetime import date

    from wagtail.models import Page

    from .models import ExternalIdentity

    keys = {
        row.data["uuid"]: row
        for row in plan.rows
        if row.action in ("create", "update", "unchanged")
    }
    now = timezone.now()
    for pk, key, revision_id in Page.objects.filter(
        translation_key__in=list(keys), locale__language_code="fr"
    ).values_list("pk", "translation_key", "latest_revision_id"):
        row = keys[str(key)]
        fields = dict(plan.identities[row.line])
        try:
            fields["source_updated"] = (
                date.fromisoformat(fields["source_updated"]) if fields["source_updated"] else None
            )
        except ValueError:
            fields["source_updated"] = None
        if row.action == "unchanged" and ExternalIdentity.objects.filter(page_id=pk).exists():
            continue  # nothing changed: the identity stays as the import that wrote the entry left it
        ExternalIdentity.objects.update_or_create(
            page_id=pk, defaults={**fields, "imported_at": now, "revision_id": revision_id}
        )


def write_duplicates(plan):
    """Keep the rows not created as possible duplicates for the moderators' report (one per
    source and id: the next import refreshes it instead of adding another)."""
    from .models import ImportedDuplicate

    for fields in plan.duplicate_rows.values():
        fields = dict(fields)
        ImportedDuplicate.objects.update_or_create(
            source=fields.pop("source"),
            external_id=fields.pop("external_id"),
            defaults={**fields, "status": ImportedDuplicate.Status.PENDING},
        )


def link_duplicate(flag):
    """The moderator says the row ``flag`` (an ImportedDuplicate) is the entry it resembles: the
    entry gets the row's external identity, so that the next imports of that source update it
    (and report a conflict if it is edited on the site in between)."""
    from datetime import date

    from .models import ExternalIdentity

    record = flag.record or {}
    try:
        updated = date.fromisoformat(record.get("date_maj", ""))
    except ValueError:
        updated = None
    page = flag.similar_to
    ExternalIdentity.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "external_id": flag.external_id,
            "pivot": flag.pivot,
            "source": flag.source,
            "source_updated": updated,
            "imported_at": timezone.now(),
            "revision_id": page.latest_revision_id,
            "extra": {name: record.get(name, "") for name in EXTRA_COLUMNS if record.get(name)},
        },
    )
    flag.delete()


def attach_identities(entries):
    """``entry.external`` (ExternalIdentity or None) for each entry: one query."""
    from .models import ExternalIdentity

    found = {
        identity.page_id: identity
        for identity in ExternalIdentity.objects.filter(page_id__in=[e.pk for e in entries])
    }
    for entry in entries:
        entry.external = found.get(entry.pk)


def external_identity(page):
    """The entry's ExternalIdentity, or None (one query), with ``shown``: the schema's fields the
    entry page lists (publics, access, fees), as (label, values)."""
    from django.utils.translation import gettext as _

    from .models import ExternalIdentity

    identity = ExternalIdentity.objects.filter(page_id=page.pk).first()
    if identity is not None:
        labels = {
            "publics_specifiquement_adresses": _("Publics accueillis en particulier"),
            "modalites_acces": _("Modalités d'accès"),
            "frais_a_charge": _("Frais à la charge de la personne"),
        }
        identity.shown = [
            (labels[name], _split(identity.extra.get(name, "")))
            for name in SHOWN_EXTRAS
            if identity.extra.get(name)
        ]
        identity.more_emails = other_values(identity, "courriels", page.email)
        identity.more_websites = other_values(identity, "site_web", page.website)
    return identity
