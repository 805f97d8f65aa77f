"""StreamField blocks for the curated part of a dossier."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from core.blocks import RICH_TEXT_FEATURES


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(
        label=_("Chiffre"), max_length=30, help_text=_("Par exemple : 30, 12 %, 4 000.")
    )
    label = blocks.CharBlock(label=_("Ce qu'il compte"), max_length=150)
    source = blocks.CharBlock(label=_("Source"), max_length=200, required=False)

    class Meta:
        icon = "order"
        label = _("Chiffre clé")


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Titre"), max_length=150, default=_("Chiffres clés"))
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Chiffres"), min_num=1, max_num=8)

    class Meta:
        icon = "order"
        label = _("Chiffres clés")
        description = _("Quelques chiffres qui donnent la mesure du thème, avec leur source.")
        preview_value = {
            "heading": "Chiffres clés",
            "figures": [
                {"value": "30", "label": "acteurs dans le réseau", "source": ""},
                {"value": "4", "label": "thèmes de travail", "source": ""},
            ],
        }
        template = "dossiers/blocks/key_figures.html"


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Titre de la partie"), max_length=200)
    text = blocks.RichTextBlock(label=_("Texte"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "doc-full"
        label = _("Partie")
        description = _("Une partie du dossier : un titre et son texte.")
        preview_value = {
            "heading": "Pourquoi des tiers-lieux ?",
            "text": "<p>Des lieux partagés pour travailler près de chez soi et se rencontrer.</p>",
        }
        template = "dossiers/blocks/section.html"


class DocumentResourceBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Intitulé"), max_length=200, required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document")


class LinkResourceBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("Adresse"))
    title = blocks.CharBlock(label=_("Intitulé"), max_length=200)
    description = blocks.CharBlock(label=_("En deux mots"), max_length=250, required=False)

    class Meta:
        icon = "link"
        label = _("Lien")


class ResourcesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Titre"), max_length=150, default=_("Ressources"))
    items = blocks.StreamBlock(
        [("document", DocumentResourceBlock()), ("link", LinkResourceBlock())],
        label=_("Ressources"),
    )

    class Meta:
        icon = "folder-open-inverse"
        label = _("Ressources")
        description = _("Des documents à télécharger et des liens utiles.")
        preview_value = {
            "heading": "Ressources",
            "items": [
                (
                    "link",
                    {
                        "url": "https://example.org/",
                        "title": "Un guide des tiers-lieux",
                        "description": "",
                    },
                )
            ],
        }
        template = "dossiers/blocks/resources.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=250)
    answer = blocks.RichTextBlock(
        label=_("Réponse"), features=["bold", "italic", "link", "ul", "ol"]
    )

    class Meta:
        icon = "help"
        label = _("Question")


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Titre"), max_length=150, default=_("Questions fréquentes"))
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Questions fréquentes")
        description = _("Des questions et leurs réponses, dépliables au clavier comme à la souris.")
        preview_value = {
            "heading": "Questions fréquentes",
            "questions": [
                {
                    "question": "Qui peut rejoindre le réseau ?",
                    "answer": "<p>Toute personne ou structure qui veut contribuer.</p>",
                }
            ],
        }
        template = "dossiers/blocks/faq.html"


class ContactsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Titre"), max_length=150, default=_("Contacts"))
    entries = blocks.ListBlock(
        blocks.PageChooserBlock(
            page_type=["directory.ActorPage", "directory.PlacePage"],
            label=_("Entrée de l'annuaire"),
        ),
        label=_("Acteurs et lieux"),
        min_num=1,
    )

    class Meta:
        icon = "group"
        label = _("Contacts")
        description = _("Des acteurs ou des lieux de l'annuaire à contacter sur ce thème.")
        template = "dossiers/blocks/contacts.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        from core.models import all_pages

        ids = [page.pk for page in value["entries"] if page is not None]
        found = all_pages().live().public().filter(pk__in=ids).specific().select_related("locale")
        by_id = {page.pk: page for page in found}
        context["contacts"] = [by_id[pk] for pk in ids if pk in by_id]
        return context


class DossierBodyBlock(blocks.StreamBlock):
    section = SectionBlock()
    key_figures = KeyFiguresBlock()
    resources = ResourcesBlock()
    faq = FAQBlock()
    contacts = ContactsBlock()
