"""Read a communes file (directory/data/communes-baronnies.csv and newer files of the same shape)
and create or update ``Commune`` rows by INSEE code.

Used by the data migration that fills a fresh database and by ``manage.py load_communes``.
Both pass the model class, so the migration can use its historical model.

Rules:
- the whole file is checked first; one bad row and nothing is saved (``CommuneFileError`` lists
  every problem with its line number);
- a commune is matched by its INSEE code: new codes are created, known ones updated;
  communes absent from the file are left alone (a file never deletes);
- ``in_park`` is what staff confirm: on an existing commune it is only taken from the file while
  the stored value is still one of the unverified ones, unless ``overwrite_in_park`` is set.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "communes-baronnies.csv"
COLUMNS = ["insee", "name", "postal_code", "department", "epci", "lat", "lon", "in_park"]
IN_PARK_VALUES = {
    "yes_2015",
    "partial_2015",
    "ville_porte",
    "unverified_ccbdp",
    "unverified",
    "yes",
    "no",
}
# Values that only say "nobody checked yet": a newer file may replace them.
UNVERIFIED_VALUES = {"unverified", "unverified_ccbdp"}
INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
DEPARTMENT_RE = re.compile(r"^(\d{2,3}|2[AB])$")
POSTAL_RE = re.compile(r"^\d{5}(\|\d{5})*$")
FIELDS = ["name", "postal_code", "department", "epci", "latitude", "longitude"]


class CommuneFileError(ValueError):
    """The file cannot be loaded; ``errors`` lists the reasons, one per problem."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    in_park_kept: list = field(default_factory=list)

    def __str__(self):
        return (
            f"{self.created} créée(s), {self.updated} mise(s) à jour, {self.unchanged} inchangée(s) ; "
            f"appartenance au Parc conservée pour {len(self.in_park_kept)} commune(s) vérifiée(s)."
        )


def _coordinate(value, low, high, name, line, errors):
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        errors.append(f"ligne {line} : {name} « {value[:30]} » n'est pas un nombre.")
        return None
    if not low <= number <= high:
        errors.append(f"ligne {line} : {name} {number} hors de [{low}, {high}].")
        return None
    return number


def parse_communes(source):
    """Rows of a communes file as dicts of model fields; raise CommuneFileError if anything is wrong.

    ``source`` is a path or an open text file.
    """
    if isinstance(source, (str, Path)):
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise CommuneFileError([f"fichier introuvable : {source}"]) from error
        except UnicodeDecodeError as error:
            raise CommuneFileError(["le fichier n'est pas encodé en UTF-8."]) from error
        except IsADirectoryError as error:
            raise CommuneFileError([f"{source} est un dossier, pas un fichier."]) from error
        source = io.StringIO(text)
    reader = csv.DictReader(source)
    header = reader.fieldnames or []
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise CommuneFileError(
            [f"colonnes manquantes : {', '.join(missing)} (attendu : {','.join(COLUMNS)})."]
        )
    rows, errors, seen = [], [], {}
    for line, raw in enumerate(reader, start=2):
        if None in raw or any(value is None for value in raw.values()):
            errors.append(f"ligne {line} : nombre de colonnes incorrect.")
            continue
        raw = {key: (value or "").strip() for key, value in raw.items()}
        insee = raw["insee"]
        if not INSEE_RE.match(insee):
            errors.append(f"ligne {line} : code INSEE « {insee[:30]} » invalide (5 caractères).")
            continue
        if insee in seen:
            errors.append(f"ligne {line} : code INSEE {insee} déjà vu ligne {seen[insee]}.")
            continue
        seen[insee] = line
        if not raw["name"] or len(raw["name"]) > 100:
            errors.append(f"ligne {line} : nom vide ou trop long.")
        if not DEPARTMENT_RE.match(raw["department"]):
            errors.append(f"ligne {line} : département « {raw['department'][:30]} » invalide.")
        if raw["postal_code"] and not POSTAL_RE.match(raw["postal_code"]):
            errors.append(f"ligne {line} : code postal « {raw['postal_code'][:30]} » invalide.")
        if len(raw["epci"]) > 150:
            errors.append(f"ligne {line} : intercommunalité trop longue.")
        if raw["in_park"] not in IN_PARK_VALUES:
            errors.append(
                f"ligne {line} : in_park « {raw['in_park'][:30]} » inconnu "
                f"(valeurs possibles : {', '.join(sorted(IN_PARK_VALUES))})."
            )
        latitude = _coordinate(raw["lat"], -90, 90, "latitude", line, errors)
        longitude = _coordinate(raw["lon"], -180, 180, "longitude", line, errors)
        if (latitude is None) != (longitude is None):
            errors.append(f"ligne {line} : latitude et longitude vont ensemble.")
        rows.append(
            {
                "insee": insee,
                "name": raw["name"],
                "postal_code": raw["postal_code"],
                "department": raw["department"],
                "epci": raw["epci"],
                "latitude": latitude,
                "longitude": longitude,
                "in_park": raw["in_park"],
            }
        )
    if not rows and not errors:
        errors.append("le fichier ne contient aucune commune.")
    if errors:
        raise CommuneFileError(errors)
    return rows


def apply_communes(rows, model, overwrite_in_park=False):
    """Create or update ``model`` rows from parsed rows; return a LoadReport. Call inside a transaction."""
    report = LoadReport()
    existing = {commune.insee: commune for commune in model.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        commune = existing.get(row["insee"])
        if commune is None:
            to_create.append(model(**row))
            continue
        changed = False
        for name in FIELDS:
            if getattr(commune, name) != row[name]:
                setattr(commune, name, row[name])
                changed = True
        if commune.in_park != row["in_park"]:
            if overwrite_in_park or commune.in_park in UNVERIFIED_VALUES:
                commune.in_park = row["in_park"]
                changed = True
            else:
                report.in_park_kept.append(commune.insee)
        if changed:
            to_update.append(commune)
        else:
            report.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=500)
    model.objects.bulk_update(to_update, [*FIELDS, "in_park"], batch_size=500)
    report.created = len(to_create)
    report.updated = len(to_update)
    return report
