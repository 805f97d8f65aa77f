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
"""

import csv
import uuid as uuid_lib
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.text import slugify

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


def service_table(vocab, locale_id):
    """schema value -> our Service slug (the first by sort order)."""
    table = {}
    from directory.models import Service

    for service in Service.objects.filter(locale_id=locale_id).exclude(mediation_numerique="").order_by("sort_order", "pk"):
        table.setdefault(service.mediation_numerique, service.slug)
    return table


def read(path, vocab, include_outside=False):
    """Check the whole file and plan it; nothing is written here."""
    from directory import importer
    from directory.models import PlacePage
    from directory.opendata import SOURCE_NAME, entry_row

    from .duplicates import find_similar
    from .models import ExternalIdentity, ImportedDuplicate

    plan = NationalPlan()
    fr = vocab.locales.get("fr")
    services = service_table(vocab, fr.pk)
    text = Path(path).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(text.splitlines(keepends=True))
    records, start = [], 2
    for record in reader:
        records.append((f"ligne {start}", record))
        start = reader.line_num + 1
    ids = [_source(r) for _line, r in records]
    known = {
        (identity.source, identity.external_id): identity
        for identity in ExternalIdentity.objects.filter(source__in=set(ids), external_id__in=[(r.get("id") or "").strip() for _l, r in records])
    }
    pages = {page.pk: page for page in PlacePage.objects.filter(pk__in=[i.page_id for i in known.values()])}
    distinct = set(  # rows a moderator said are other places than the entry they resemble
        ImportedDuplicate.objects.filter(
            status=ImportedDuplicate.Status.DISTINCT, source__in=set(ids), external_id__in=[(r.get("id") or "").strip() for _l, r in records]
        ).values_list("source", "external_id")
    )
    own_keys = set()
    own_ids = [importer._safe_uuid((r.get("id") or "").strip()) for _l, r in records if (r.get("source") or "").strip() == SOURCE_NAME]
    if own_ids:
        own_keys = {str(key) for key in PlacePage.objects.filter(translation_key__in=[k for k in own_ids if k]).values_list("translation_key", flat=True)}
    taken = None  # slugs under the French directory, read once when a row creates a place
    for line, record in records:
        if None in record:
            row = importer.Row(line, {}, errors=["trop de valeurs sur la ligne"])
            plan.errors.append(row)
            continue
        record = {key: (value or "").strip() for key, value in record.items()}
        source, external_id = _source(record), record.get("id", "")
        if source == SOURCE_NAME and external_id in own_keys:
            plan.own += 1
            continue
        problems = []
        if not external_id:
            problems.append("id manquant")
        if not record.get("nom"):
            problems.append("nom manquant")
        commune = find_commune(record, vocab)
        if commune is None and not include_outside:
            plan.outside.append(line)
            continue
        identity = known.get((source, external_id))
        page = pages.get(identity.page_id) if identity else None
        if identity is not None and page is None:  # a moderator linked the row to an actor: left alone
            plan.own += 1
            continue
        if page is not None and identity.revision_id and page.latest_revision_id != identity.revision_id:
            plan.conflicts.append((line, page, "modifiée sur le site depuis le dernier import : non écrasée"))
            continue
        webs = _split(record.get("site_web"))
        mails = _split(record.get("courriels"))
        problems += _check_extra_values(mails[1:], webs[1:])
        kinds = [TYPOLOGIE_KINDS[t] for t in _split(record.get("typologie")) if t in TYPOLOGIE_KINDS]
        kind = kinds[0] if kinds else DEFAULT_KIND
        summary = record.get("presentation_resume") or record.get("presentation_detail", "")[:300] or record.get("nom", "")
        address = ", ".join(part for part in (record.get("adresse", ""), record.get("complement_adresse", "")) if part)
        if commune is None:
            address = ", ".join(part for part in (address, f"{record.get('code_postal', '')} {record.get('commune', '')}".strip()) if part)
        latitude, longitude = record.get("latitude", ""), record.get("longitude", "")
        if commune is not None and commune.latitude is not None and latitude and longitude:
            try:
                at_centre = abs(float(latitude) - commune.latitude) < importer.COMMUNE_TOLERANCE and abs(float(longitude) - commune.longitude) < importer.COMMUNE_TOLERANCE
            except ValueError:
                at_centre = False
            if at_centre:  # our exports give the commune's centre to entries without a point of their own
                latitude = longitude = ""
        data = {}
        if page is not None:
            data = entry_row(page)  # what the schema does not carry stays as it is on the site
            data = {key: value for key, value in data.items() if key in importer.WRITABLE or key in ("uuid", "type", "langue")}
        detail = record.get("presentation_detail", "")
        data.update(
            {
                "type": "lieu",
                "langue": "fr",
                "uuid": str(page.translation_key) if page is not None else str(uuid_lib.uuid4()),
                "nom": record.get("nom", "")[:255],
                "resume": summary[:300],
                "description": linebreaks(escape(detail)) if detail else "",
                "type_structure": kind,
                "services": MULTI.join(sorted({services[s] for s in _split(record.get("services")) if s in services})),
                "commune_insee": commune.insee if commune else "",
                "adresse": address[:255],
                "latitude": latitude,
                "longitude": longitude,
                "telephone": record.get("telephone", "")[:40],
                "courriel": mails[0] if mails else "",
                "site_web": webs[0] if webs else "",
                "horaires": record.get("horaires", ""),
            }
        )
        if page is not None:
            data["slug"] = page.slug
            data["parent"] = ""
        elif fr.pk in vocab.indexes:  # a new place: a slug of its own beside the directory's entries
            if taken is None:
                taken = set(vocab.indexes[fr.pk].get_children().values_list("slug", flat=True))
            data["slug"] = _free_slug(slugify(data["nom"])[:80] or "lieu", taken)
        row = importer.Row(line, data, errors=problems)
        row.national = True
        if page is None and not problems and (source, external_id) not in distinct:
            similar = find_similar(
                title=data["nom"], commune_id=commune.pk if commune else None, website=data["site_web"], pivot=record.get("pivot", ""), locale_id=fr.pk
            )
            if similar:
                other, reason = similar[0]
                plan.duplicates.append((line, other, reason))
                plan.duplicate_rows[line] = {
                    "source": source,
                    "external_id": external_id[:255],
                    "pivot": record.get("pivot", "")[:20],
                    "name": record.get("nom", "")[:255],
                    "commune": record.get("commune", "")[:255],
                    "similar_to_id": other.pk,
                    "reason": reason,
                    "record": record,
                }
                continue
        plan.rows.append(row)
        plan.identities[line] = {
            "external_id": external_id,
            "pivot": record.get("pivot", "")[:20],
            "source": source,
            "source_updated": record.get("date_maj", ""),
            "extra": {name: record.get(name, "") for name in EXTRA_COLUMNS if record.get(name)},
        }
    importer.plan(plan.rows, vocab)
    plan.errors += [row for row in plan.rows if row.errors]
    return plan


def write_identities(plan):
    """After ``importer.apply``: record or refresh each row's external identity and the revision
    the import wrote (the mark of "not edited on the site since")."""
    from datetime import date

    from wagtail.models import Page

    from .models import ExternalIdentity

    keys = {row.data["uuid"]: row for row in plan.rows if row.action in ("create", "update", "unchanged")}
    now = timezone.now()
    for pk, key, revision_id in Page.objects.filter(translation_key__in=list(keys), locale__language_code="fr").values_list(
        "pk", "translation_key", "latest_revision_id"
    ):
        row = keys[str(key)]
        fields = dict(plan.identities[row.line])
        try:
            fields["source_updated"] = date.fromisoformat(fields["source_updated"]) if fields["source_updated"] else None
        except ValueError:
            fields["source_updated"] = None
        if row.action == "unchanged" and ExternalIdentity.objects.filter(page_id=pk).exists():
            continue  # nothing changed: the identity stays as the import that wrote the entry left it
        ExternalIdentity.objects.update_or_create(page_id=pk, defaults={**fields, "imported_at": now, "revision_id": revision_id})


def write_duplicates(plan):
    """Keep the rows not created as possible duplicates for the moderators' report (one per
    source and id: the next import refreshes it instead of adding another)."""
    from .models import ImportedDuplicate

    for fields in plan.duplicate_rows.values():
        fields = dict(fields)
        ImportedDuplicate.objects.update_or_create(
            source=fields.pop("source"), external_id=fields.pop("external_id"), defaults={**fields, "status": ImportedDuplicate.Status.PENDING}
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

    found = {identity.page_id: identity for identity in ExternalIdentity.objects.filter(page_id__in=[e.pk for e in entries])}
    for entry in entries:
        entry.external = found.get(entry.pk)


def run(command, path, dry_run=False, include_outside=False):
    """The command's work for a national-schema file (``command``: the management command)."""
    from django.core.exceptions import ValidationError
    from django.core.management.base import CommandError

    from directory import importer

    vocab = importer.Vocabularies()
    plan = read(path, vocab, include_outside=include_outside)
    if plan.errors:
        for row in plan.errors:
            command.stderr.write(f"{row.line} : {' ; '.join(row.errors)}")
        total = len(plan.rows) + len(plan.outside) + len(plan.conflicts) + len(plan.duplicates) + plan.own
        raise CommandError(f"{len(plan.errors)} ligne(s) rejetée(s) sur {total} : rien n'a été enregistré.")
    for line, page, message in plan.conflicts:
        command.stderr.write(f"{line} : conflit, « {page.title} » (page {page.pk}) {message}")
    for line, page, reason in plan.duplicates:
        command.stderr.write(
            f"{line} : doublon possible de « {page.title} » (page {page.pk}, {reason}) : non créée, "
            "à examiner dans Rapports > Doublons possibles"
        )
    counts = {action: sum(1 for r in plan.rows if r.action == action) for action in ("create", "update", "unchanged")}
    summary = (
        f"Schéma médiation numérique : {counts['create']} à créer, {counts['update']} à mettre à jour, "
        f"{counts['unchanged'] + plan.own} inchangée(s), {len(plan.conflicts)} conflit(s), "
        f"{len(plan.duplicates)} doublon(s) possible(s), {len(plan.outside)} hors du territoire (ignorées"
        f"{'' if include_outside else ' ; --include-outside pour les importer'})."
    )
    if dry_run:
        command.stdout.write(f"Essai à blanc, rien n'est enregistré. {summary}")
        command.describe(plan.rows)
        return
    try:
        from django.db import transaction

        with transaction.atomic():
            importer.apply(plan.rows, vocab, progress=command.progress)
            write_identities(plan)
            write_duplicates(plan)
    except ValidationError as error:
        raise CommandError(f"Import annulé, rien n'a été enregistré : {error}") from error
    command.stdout.write(command.style.SUCCESS(f"Import terminé. {summary}"))


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
        identity.shown = [(labels[name], _split(identity.extra.get(name, ""))) for name in SHOWN_EXTRAS if identity.extra.get(name)]
        identity.more_emails = other_values(identity, "courriels", page.email)
        identity.more_websites = other_values(identity, "site_web", page.website)
    return identity
