from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impasto.accounts.validators import normalize_handle, validate_handle
from impasto.core.models import SnowflakeField
from impasto.core.vocab import Discipline


class UserQuerySet(models.QuerySet["User"]):
    def public(self) -> UserQuerySet:
        """Accounts whose content may be shown: active and not being deleted."""
        return self.filter(is_active=True, deletion_scheduled_at__isnull=True)

    def deletion_due(self, *, before: datetime) -> UserQuerySet:
        """Accounts whose deletion was requested before ``before`` (grace period over)."""
        return self.filter(deletion_scheduled_at__lte=before)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def public(self) -> UserQuerySet:
        return self.get_queryset().public()

    def deletion_due(self, *, before: datetime) -> UserQuerySet:
        return self.get_queryset().deletion_due(before=before)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(handle=normalize_handle(username or ""))

    def _create(self, handle: str, email: str, password: str | None, **extra: Any) -> User:
        user = self.model(
            handle=normalize_handle(handle), email=self.normalize_email(email).lower(), **extra
        )
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        Profile.objects.create(user=user)
        return user

    def create_user(
        self, handle: str, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(handle, email, password, **extra)

    def create_superuser(
        self, handle: str, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(handle, email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Their public face is :class:`Profile`."""

    handle = models.CharField(
        _("handle"),
        max_length=30,
        unique=True,
        validators=[validate_handle],
        help_text=_("Your address on Impasto: lowercase letters, digits and underscores."),
    )
    email = models.EmailField(_("email address"), max_length=254)
    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set when the person asks to delete their account: their content leaves public view at
    # once; the account itself is erased when the grace period ends unless they come back.
    deletion_scheduled_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "handle"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"

    def clean(self) -> None:
        super().clean()
        self.handle = normalize_handle(self.handle)
        self.email = self.email.strip().lower()

    @property
    def name(self) -> str:
        return self.display_name or self.handle

    @property
    def is_public(self) -> bool:
        return self.is_active and self.deletion_scheduled_at is None


class Profile(models.Model):
    """What others see of an artist: bio, fields, status, links, pictures."""

    class Kind(models.TextChoices):
        PORTFOLIO = "portfolio", _("Portfolio")
        COMMUNITY = "community", _("Community")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    kind = models.CharField(
        _("account kind"), max_length=16, choices=Kind.choices, default=Kind.PORTFOLIO
    )
    # TextField's max_length only sizes the form widget; the validator enforces it.
    bio = models.TextField(
        _("bio"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)]
    )
    location = models.CharField(_("location"), max_length=100, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    open_to_work = models.BooleanField(_("open to work"), default=False)
    open_for_commissions = models.BooleanField(_("open for commissions"), default=False)
    avatar = models.FileField(_("avatar"), blank=True, max_length=255)
    banner = models.FileField(_("banner"), blank=True, max_length=255)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"Profile of @{self.user.handle}"


class ProfileDiscipline(models.Model):
    """One of the fields (disciplines) an artist lists on their profile."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="disciplines")
    discipline = models.CharField(max_length=32, choices=Discipline.choices, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "discipline"], name="accounts_profile_discipline_unique"
            )
        ]

    def __str__(self) -> str:
        return self.get_discipline_display()


class DataExport(models.Model):
    """A zip of everything a person has on Impasto, built in the background for them alone.

    The archive lives in the private storage under a random key chosen when the export is
    requested, so a rebuilt archive (a retried task) overwrites the same object.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.PENDING: {Status.READY, Status.FAILED},
        Status.READY: {Status.EXPIRED},
        Status.FAILED: {Status.EXPIRED},
    }

    id = SnowflakeField()
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    file_name = models.CharField(max_length=255, editable=False)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_export_user_idx")]

    def __str__(self) -> str:
        return f"Export {self.pk} of user {self.user_id}"

    def is_downloadable(self, *, now: datetime) -> bool:
        return (
            self.status == self.Status.READY
            and self.expires_at is not None
            and self.expires_at > now
        )
