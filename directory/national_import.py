"""Importing a CSV of the national schema of digital mediation places (``manage.py
import_directory FILE`` when the file has that schema's header): reading and planning the rows
through the directory's importer, then writing them with their external identities.

The helpers that need only the shared tables (identities, duplicates, the schema's columns) are in
``directory.commons.national_import``, which the entry pages and the exports read: this part sits
above the importer and the models, so that the commons app does not import the directory back.
"""

import csv
import uuid as uuid_lib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.html import escape, linebreaks
from django.utils.text import slugify

from . import importer
from .commons.duplicates import find_similar
from .commons.models import ExternalIdentity, ImportedDuplicate
from .commons.national_import import (
    DEFAULT_KIND,
    EXTRA_COLUMNS,
    MULTI,
    TYPOLOGIE_KINDS,
    NationalPlan,
    _check_extra_values,
    _free_slug,
    _source,
    _split,
    find_commune,
    write_duplicates,
    write_identities,
)
from .models import PlacePage, Service
from .opendata import SOURCE_NAME, entry_row


def service_table(vocab, locale_id):
    """schema value -> our Service slug (the first by sort order)."""
    table = {}
    for service in (
        Service.objects.filter(locale_id=locale_id)
        .exclude(mediation_numerique="")
        .order_by("sort_order", "pk")
    ):
        table.setdefault(service.mediation_numerique, service.slug)
    return table


def read(path, vocab, include_outside=False):
    """Check the whole file and plan it; nothing is written here."""
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
        for identity in ExternalIdentity.objects.filter(
            source__in=set(ids), external_id__in=[(r.get("id") or "").strip() for _l, r in records]
        )
    }
    pages = {
        page.pk: page
        for page in PlacePage.objects.filter(pk__in=[i.page_id for i in known.values()])
    }
    distinct = set(  # rows a moderator said are other places than the entry they resemble
        ImportedDuplicate.objects.filter(
            status=ImportedDuplicate.Status.DISTINCT,
            source__in=set(ids),
            external_id__in=[(r.get("id") or "").strip() for _l, r in records],
        ).values_list("source", "external_id")
    )
    own_keys = set()
    own_ids = [
        importer._safe_uuid((r.get("id") or "").strip())
        for _l, r in records
        if (r.get("source") or "").strip() == SOURCE_NAME
    ]
    if own_ids:
        own_keys = {
            str(key)
            for key in PlacePage.objects.filter(
                translation_key__in=[k for k in own_ids if k]
            ).values_list("translation_key", flat=True)
        }
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
        if (
            identity is not None and page is None
        ):  # a moderator linked the row to an actor: left alone
            plan.own += 1
            continue
        if (
            page is not None
            and identity.revision_id
            and page.latest_revision_id != identity.revision_id
        ):
            plan.conflicts.append(
                (line, page, "modifiée sur le site depuis le dernier import : non écrasée")
            )
            continue
        webs = _split(record.get("site_web"))
        mails = _split(record.get("courriels"))
        problems += _check_extra_values(mails[1:], webs[1:])
        kinds = [
            TYPOLOGIE_KINDS[t] for t in _split(record.get("typologie")) if t in TYPOLOGIE_KINDS
        ]
        kind = kinds[0] if kinds else DEFAULT_KIND
        summary = (
            record.get("presentation_resume")
            or record.get("presentation_detail", "")[:300]
            or record.get("nom", "")
        )
        address = ", ".join(
            part
            for part in (record.get("adresse", ""), record.get("complement_adresse", ""))
            if part
        )
        if commune is None:
            address = ", ".join(
                part
                for part in (
                    address,
                    f"{record.get('code_postal', '')} {record.get('commune', '')}".strip(),
                )
                if part
            )
        latitude, longitude = record.get("latitude", ""), record.get("longitude", "")
        if commune is not None and commune.latitude is not None and latitude and longitude:
            try:
                at_centre = (
                    abs(float(latitude) - commune.latitude) < importer.COMMUNE_TOLERANCE
                    and abs(float(longitude) - commune.longitude) < importer.COMMUNE_TOLERANCE
                )
            except ValueError:
                at_centre = False
            if (
                at_centre
            ):  # our exports give the commune's centre to entries without a point of their own
                latitude = longitude = ""
        data = {}
        if page is not None:
            data = entry_row(page)  # what the schema does not carry stays as it is on the site
            data = {
                key: value
                for key, value in data.items()
                if key in importer.WRITABLE or key in ("uuid", "type", "langue")
            }
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
                "services": MULTI.join(
                    sorted({services[s] for s in _split(record.get("services")) if s in services})
                ),
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
        elif (
            fr.pk in vocab.indexes
        ):  # a new place: a slug of its own beside the directory's entries
            if taken is None:
                taken = set(vocab.indexes[fr.pk].get_children().values_list("slug", flat=True))
            data["slug"] = _free_slug(slugify(data["nom"])[:80] or "lieu", taken)
        row = importer.Row(line, data, errors=problems)
        row.national = True
        if page is None and not problems and (source, external_id) not in distinct:
            similar = find_similar(
                title=data["nom"],
                commune_id=commune.pk if commune else None,
                website=data["site_web"],
                pivot=record.get("pivot", ""),
                locale_id=fr.pk,
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


def run(command, path, dry_run=False, include_outside=False):
    """The command's work for a national-schema file (``command``: the management command)."""
    vocab = importer.Vocabularies()
    plan = read(path, vocab, include_outside=include_outside)
    if plan.errors:
        for row in plan.errors:
            command.stderr.write(f"{row.line} : {' ; '.join(row.errors)}")
        total = (
            len(plan.rows)
            + len(plan.outside)
            + len(plan.conflicts)
            + len(plan.duplicates)
            + plan.own
        )
        raise CommandError(
            f"{len(plan.errors)} ligne(s) rejetée(s) sur {total} : rien n'a été enregistré."
        )
    for line, page, message in plan.conflicts:
        command.stderr.write(f"{line} : conflit, « {page.title} » (page {page.pk}) {message}")
    for line, page, reason in plan.duplicates:
        command.stderr.write(
            f"{line} : doublon possible de « {page.title} » (page {page.pk}, {reason}) : non créée, "
            "à examiner dans Rapports > Doublons possibles"
        )
    counts = {
        action: sum(1 for r in plan.rows if r.action == action)
        for action in ("create", "update", "unchanged")
    }
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
        with transaction.atomic():
            importer.apply(plan.rows, vocab, progress=command.progress)
            write_identities(plan)
            write_duplicates(plan)
    except ValidationError as error:
        raise CommandError(f"Import annulé, rien n'a été enregistré : {error}") from error
    command.stdout.write(command.style.SUCCESS(f"Import terminé. {summary}"))
