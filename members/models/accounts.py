"""Accounts: people are identified by their e-mail address."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(DjangoUserManager):
    """Accounts are identified by e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("电子邮箱"), unique=True)
    full_name = models.CharField(_("姓名"), max_length=100, blank=True)
    terms_agreed_at = models.DateTimeField(_("同意用户协议和隐私政策的时间"), null=True, blank=True, editable=False)
    terms_agreed = models.JSONField(
        _("同意的文本版本"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("注册时页面的语言和《用户协议》《隐私政策》的版本号"),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name().strip()

    def get_short_name(self) -> str:
        return self.full_name or self.first_name or self.email
