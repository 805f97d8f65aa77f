"""StreamField blocks shared by every page type that has a body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Texte"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=[("h2", _("Titre de section")), ("h3", _("Sous-titre"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Intertitre")
        description = _("Un titre qui structure le texte (lu par les lecteurs d'écran).")
        preview_value = {"text": "Les tiers-lieux du territoire", "level": "h2"}
        template = "blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Légende"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        description = _("Une image avec sa légende ; le crédit s'affiche automatiquement.")
        template = "blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Citation"))
    author = blocks.CharBlock(label=_("Auteur"), required=False, max_length=150)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        description = _("Une parole mise en avant, avec son auteur.")
        preview_value = {
            "quote": "Travailler au pays, sans renoncer au lien avec le reste du monde.",
            "author": "Une coworkeuse de Nyons",
        }
        template = "blocks/quote.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Intitulé du lien"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document à télécharger")
        description = _("Un lien vers un document, avec son format et son poids.")
        template = "blocks/document.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Texte du bouton"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page du site"), required=False)
    url = blocks.URLBlock(label=_("ou adresse externe"), required=False)

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks import StructBlockValidationError

        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choisissez une page ou une adresse."))}
            )
        return value

    class Meta:
        icon = "link"
        label = _("Bouton d'action")
        description = _("Un bouton qui mène vers une page ou un site (inscription, contact…).")
        preview_value = {"text": "Rejoindre le réseau", "url": "https://example.org/"}
        template = "blocks/call_to_action.html"


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraphe"),
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        description=_("Du texte mis en forme : gras, listes, liens."),
        preview_value="<p>Le réseau réunit une trentaine d'acteurs du territoire.</p>",
        template="blocks/paragraph.html",
    )
    heading = HeadingBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    document = DocumentBlock()
    call_to_action = CallToActionBlock()
    embed = EmbedBlock(
        label=_("Vidéo ou contenu externe"),
        icon="media",
        description=_("Une vidéo ou un contenu intégré depuis une adresse (PeerTube, YouTube…)."),
        template="blocks/embed.html",
    )

    class Meta:
        block_counts = {}
