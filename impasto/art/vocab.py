"""The fixed lists a project is described with (fields come from impasto.core.vocab)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from impasto.core.vocab import Discipline


class Medium(models.TextChoices):
    DIGITAL_PAINTING = "digital-painting", _("Digital painting")
    DIGITAL_DRAWING = "digital-drawing", _("Digital drawing")
    OIL = "oil", _("Oil")
    ACRYLIC = "acrylic", _("Acrylic")
    WATERCOLOUR = "watercolour", _("Watercolour")
    GOUACHE = "gouache", _("Gouache")
    INK = "ink", _("Ink")
    PENCIL = "pencil", _("Pencil and graphite")
    CHARCOAL = "charcoal", _("Charcoal")
    PASTEL = "pastel", _("Pastel")
    MIXED = "mixed-media", _("Mixed media")
    PHOTOGRAPHY = "photography", _("Photography")
    RENDER_3D = "3d-render", _("3D render")
    SCULPTURE = "sculpture", _("Sculpture")
    PRINTMAKING = "printmaking", _("Printmaking")
    PIXEL = "pixel-art", _("Pixel art")
    VECTOR = "vector", _("Vector")
    COLLAGE = "collage", _("Collage")
    TEXTILE = "textile", _("Textile")
    CERAMICS = "ceramics", _("Ceramics")


class Software(models.TextChoices):
    PHOTOSHOP = "photoshop", "Photoshop"
    PROCREATE = "procreate", "Procreate"
    KRITA = "krita", "Krita"
    CLIP_STUDIO = "clip-studio-paint", "Clip Studio Paint"
    BLENDER = "blender", "Blender"
    ZBRUSH = "zbrush", "ZBrush"
    ILLUSTRATOR = "illustrator", "Illustrator"
    AFFINITY_PHOTO = "affinity-photo", "Affinity Photo"
    AFFINITY_DESIGNER = "affinity-designer", "Affinity Designer"
    GIMP = "gimp", "GIMP"
    INKSCAPE = "inkscape", "Inkscape"
    MAYA = "maya", "Maya"
    CINEMA_4D = "cinema-4d", "Cinema 4D"
    HOUDINI = "houdini", "Houdini"
    SUBSTANCE_PAINTER = "substance-painter", "Substance Painter"
    MARMOSET = "marmoset-toolbag", "Marmoset Toolbag"
    UNREAL = "unreal-engine", "Unreal Engine"
    ASEPRITE = "aseprite", "Aseprite"
    REBELLE = "rebelle", "Rebelle"
    COREL_PAINTER = "corel-painter", "Corel Painter"
    LIGHTROOM = "lightroom", "Lightroom"
    CAPTURE_ONE = "capture-one", "Capture One"


class Layout(models.TextChoices):
    GRID = "grid", _("Even grid")
    MASONRY = "masonry", _("Masonry")


FIELD_CHOICES = Discipline.choices
MAX_FIELDS = 5
MAX_MEDIUMS = 8
MAX_SOFTWARE = 10
MAX_TAGS = 15
MAX_IMAGES = 50
MAX_PINNED = 6
