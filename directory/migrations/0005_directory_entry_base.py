"""Actors and places get a concrete base page, DirectoryEntry, which holds what they share.

Until now ``DirectoryEntryPage`` was abstract: ``directory_actorpage`` and ``directory_placepage``
each held the shared columns and their own ``themes``/``sectors`` link tables. This migration

1. creates ``directory_directoryentry`` (``page_ptr_id`` to ``wagtailcore_page``, the shared
   columns) and its two link tables;
2. copies the shared columns and the theme and sector links of every actor and place there (same
   page ids);
3. drops the shared columns and link tables from the children;
4. makes each child's primary key the link to its DirectoryEntry row instead of to its Page row.
   The column keeps its name (``page_ptr_id``, see ``db_column`` on the models) and its values,
   so every foreign key that points to an actor or a place (members, events, operators, place
   photos) and every page id stored elsewhere (revisions, translations, workflow states, search
   index entries, which all use the page id and the specific content type) stays as it was.

Every step runs backwards too (the data go back to the children), on SQLite and PostgreSQL.
"""

import django.core.validators
import django.db.models.deletion
import modelcluster.fields
import wagtail.fields
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.operations.base import Operation

CHILD_TABLES = ("directory_actorpage", "directory_placepage")
SHARED_COLUMNS = (
    "summary",
    "description",
    "address",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "commune_id",
    "logo_id",
    "social_image_id",
)
LINKS = (("themes", "theme_id"), ("sectors", "sector_id"))


def _immediate_constraints(schema_editor):
    """On PostgreSQL, check the deferred foreign keys of the rows just written now: a table with
    pending trigger events cannot be altered later in the same transaction."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def copy_to_base(apps, schema_editor):
    quote = schema_editor.quote_name
    columns = ", ".join(quote(column) for column in SHARED_COLUMNS)
    for table in CHILD_TABLES:
        schema_editor.execute(
            f"INSERT INTO {quote('directory_directoryentry')} ({quote('page_ptr_id')}, {columns}) "
            f"SELECT {quote('page_ptr_id')}, {columns} FROM {quote(table)}"
        )
        owner = table.removeprefix("directory_") + "_id"
        for relation, target in LINKS:
            schema_editor.execute(
                f"INSERT INTO {quote('directory_directoryentry_' + relation)} "
                f"({quote('directoryentry_id')}, {quote(target)}) "
                f"SELECT {quote(owner)}, {quote(target)} FROM {quote(table + '_' + relation)}"
            )
    _immediate_constraints(schema_editor)


def copy_back_to_children(apps, schema_editor):
    quote = schema_editor.quote_name
    base = quote("directory_directoryentry")
    for table in CHILD_TABLES:
        assignments = ", ".join(
            f"{quote(column)} = (SELECT b.{quote(column)} FROM {base} b "
            f"WHERE b.{quote('page_ptr_id')} = {quote(table)}.{quote('page_ptr_id')})"
            for column in SHARED_COLUMNS
        )
        schema_editor.execute(f"UPDATE {quote(table)} SET {assignments}")
        owner = table.removeprefix("directory_") + "_id"
        for relation, target in LINKS:
            schema_editor.execute(
                f"INSERT INTO {quote(table + '_' + relation)} ({quote(owner)}, {quote(target)}) "
                f"SELECT l.{quote('directoryentry_id')}, l.{quote(target)} "
                f"FROM {quote('directory_directoryentry_' + relation)} l "
                f"WHERE l.{quote('directoryentry_id')} IN (SELECT {quote('page_ptr_id')} FROM {quote(table)})"
            )
    _immediate_constraints(schema_editor)


class MakeDirectoryEntryTheParent(Operation):
    """Make ``model_name`` (a page model whose parent was Page) a child of DirectoryEntry.

    State: its bases become (DirectoryEntry,), its ``page_ptr`` link becomes ``directoryentry_ptr``.
    Database: the primary-key column (same name, same values) now references
    ``directory_directoryentry`` instead of ``wagtailcore_page``.
    """

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name):
        self.model_name = model_name

    def deconstruct(self):
        return (self.__class__.__name__, [], {"model_name": self.model_name})

    def state_forwards(self, app_label, state):
        model_state = state.models[app_label, self.model_name]
        model_state.bases = ("directory.directoryentry",)
        del model_state.fields["page_ptr"]
        model_state.fields = {
            "directoryentry_ptr": models.OneToOneField(
                auto_created=False,
                db_column="page_ptr_id",
                on_delete=django.db.models.deletion.CASCADE,
                parent_link=True,
                primary_key=True,
                related_name=self.model_name,
                serialize=False,
                to="directory.directoryentry",
            ),
            **model_state.fields,
        }
        state.reload_model(app_label, self.model_name, delay=False)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._alter(app_label, schema_editor, from_state, "page_ptr", to_state, "directoryentry_ptr")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._alter(app_label, schema_editor, from_state, "directoryentry_ptr", to_state, "page_ptr")

    def _alter(self, app_label, schema_editor, from_state, from_name, to_state, to_name):
        from_model = from_state.apps.get_model(app_label, self.model_name)
        to_model = to_state.apps.get_model(app_label, self.model_name)
        if schema_editor.connection.vendor == "sqlite":
            # SQLite cannot change a foreign key in place, and its ``alter_field`` rebuilds the
            # table with the old model's bases (which would add a second parent link): rebuild
            # the table from the new model instead. The columns keep their names, so every row
            # is copied as it is.
            schema_editor._remake_table(to_model)
        else:
            schema_editor.alter_field(
                from_model, from_model._meta.get_field(from_name), to_model._meta.get_field(to_name)
            )

    def describe(self):
        return f"Make {self.model_name} a child of DirectoryEntry"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name}_directoryentry_parent"


def remove_shared_fields(model_name):
    return [
        migrations.RemoveField(model_name=model_name, name=name)
        for name in (
            "summary",
            "description",
            "address",
            "latitude",
            "longitude",
            "phone",
            "email",
            "website",
            "commune",
            "logo",
            "social_image",
            "themes",
            "sectors",
        )
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_directory_data_contribution"),
        ("images", "0002_initial"),
        ("taxonomy", "0002_pictogram"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectoryEntry",
            fields=[
                ("page_ptr", models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ("summary", models.CharField(help_text="Une ou deux phrases, montrées dans la liste.", max_length=300, verbose_name="résumé")),
                ("description", wagtail.fields.RichTextField(blank=True, verbose_name="description")),
                ("address", models.CharField(blank=True, max_length=255, verbose_name="adresse")),
                ("latitude", models.FloatField(blank=True, help_text="Sans coordonnées précises, l'entrée est placée au centre de sa commune.", null=True, validators=[django.core.validators.MinValueValidator(-90), django.core.validators.MaxValueValidator(90)], verbose_name="latitude")),
                ("longitude", models.FloatField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(-180), django.core.validators.MaxValueValidator(180)], verbose_name="longitude")),
                ("phone", models.CharField(blank=True, max_length=40, verbose_name="téléphone")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="courriel")),
                ("website", models.URLField(blank=True, verbose_name="site web")),
                ("commune", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="directory.commune", verbose_name="commune")),
                ("logo", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="images.customimage", verbose_name="logo ou photo principale")),
                ("sectors", modelcluster.fields.ParentalManyToManyField(blank=True, related_name="+", to="taxonomy.sector", verbose_name="secteurs")),
                ("social_image", models.ForeignKey(blank=True, help_text="Montrée quand la page est partagée, et dans les listes.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="images.customimage", verbose_name="image de partage")),
                ("themes", modelcluster.fields.ParentalManyToManyField(blank=True, related_name="+", to="taxonomy.theme", verbose_name="thèmes")),
            ],
            options={
                "verbose_name": "entrée de l'annuaire",
                "verbose_name_plural": "entrées de l'annuaire",
            },
            bases=("wagtailcore.page",),
        ),
        migrations.RunPython(copy_to_base, copy_back_to_children),
        # Run backwards, the children's ``summary`` comes back before the data do: it needs a
        # default to be added to rows (this step itself changes nothing in the tables' data).
        *[
            migrations.AlterField(
                model_name=model_name,
                name="summary",
                field=models.CharField(default="", help_text="Une ou deux phrases, montrées dans la liste.", max_length=300, verbose_name="résumé"),
            )
            for model_name in ("actorpage", "placepage")
        ],
        # The children lose the shared fields before they inherit them (a field cannot be both).
        *remove_shared_fields("actorpage"),
        *remove_shared_fields("placepage"),
        MakeDirectoryEntryTheParent("actorpage"),
        MakeDirectoryEntryTheParent("placepage"),
    ]
