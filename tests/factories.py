from __future__ import annotations

from typing import Any

import factory

from impasto.accounts.models import User
from impasto.accounts.services import user_create

PASSWORD = "correct horse battery staple"


class UserFactory(factory.Factory[User]):
    """Users made through the same service as sign-up, with a verified email by default."""

    class Meta:
        model = User

    handle = factory.Sequence(lambda n: f"artist{n}")
    email = factory.LazyAttribute(lambda o: f"{o.handle}@example.test")
    password = PASSWORD
    display_name = factory.Faker("name")
    email_verified = True
    is_staff = False

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return user_create(**kwargs)
