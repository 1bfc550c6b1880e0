"""Vocabularies shared across apps (profiles, projects, discovery, jobs)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Discipline(models.TextChoices):
    """The fields an artist works in: a fixed list, translated, used for profiles and works."""

    ILLUSTRATION = "illustration", _("Illustration")
    CONCEPT_ART = "concept-art", _("Concept art")
    PHOTOGRAPHY = "photography", _("Photography")
    THREE_D = "3d", _("3D")
    ANIMATION = "animation", _("Animation")
    COMICS = "comics", _("Comics")
    FINE_ART = "fine-art", _("Fine art")
    GRAPHIC_DESIGN = "graphic-design", _("Graphic design")
    GAME_ART = "game-art", _("Game art")
    CHARACTER_DESIGN = "character-design", _("Character design")
    ENVIRONMENT_DESIGN = "environment-design", _("Environment design")
    FASHION = "fashion", _("Fashion")
    SCULPTURE = "sculpture", _("Sculpture")
    TRADITIONAL = "traditional", _("Traditional")
    PIXEL_ART = "pixel-art", _("Pixel art")
    STORYBOARDING = "storyboarding", _("Storyboarding")
    TYPOGRAPHY = "typography", _("Typography & lettering")
    PRINTMAKING = "printmaking", _("Printmaking")
    TATTOO = "tattoo", _("Tattoo art")
    ARCHITECTURE = "architecture", _("Architectural visualisation")
