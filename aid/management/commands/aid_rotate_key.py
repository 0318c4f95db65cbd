import functools
import posixpath

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from aid import crypto
from aid.crypto import Sealed, SealedAccountField, SealedField
from aid.models import Case

BATCH_SIZE = 200


def sealed_models():
    """Every aid model with sealed columns, and the names of those columns (account links apart)."""
    for model in apps.get_app_config("aid").get_models():
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, SealedField) and not isinstance(field, SealedAccountField)
        ]
        if names:
            yield model, names


def batches(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Command(BaseCommand):
    help = (
        "Re-seal every sealed value, account link and proof file of the aid programmes under the first key of "
        "AID_ENCRYPTION_KEYS. Put the new key first, keep the old one after it, run this, then remove the old "
        "key. Safe to repeat."
    )

    def handle(self, *args, **options):
        if not settings.AID_ENCRYPTION_KEYS:
            self.stdout.write(self.style.WARNING("AID_ENCRYPTION_KEYS is empty: using the development key."))
        values = sum(self.rotate_values(model, names) for model, names in sealed_models())
        links = self.rotate_links()
        self.stdout.write(f"Account links: {links} re-sealed.")
        files = self.rotate_proofs()
        self.stdout.write(self.style.SUCCESS(f"Done: {values} sealed values and {files} proof files re-sealed."))

    def rotate_values(self, model, names: list[str]) -> int:
        manager = model._base_manager
        pks = list(manager.order_by("pk").values_list("pk", flat=True))
        rotated = done = 0
        self.stdout.write(f"{model._meta.label}: {len(pks)} rows ({', '.join(names)})")
        for chunk in batches(pks):
            with transaction.atomic():
                for row in manager.select_for_update().filter(pk__in=chunk).only("pk", *names):
                    changes = {}
                    for name in names:
                        value = getattr(row, name)
                        if value:
                            changes[name] = Sealed(self._rotate(model, row.pk, value.token))
                    if changes:
                        manager.filter(pk=row.pk).update(**changes)
                        rotated += len(changes)
            done += len(chunk)
            self.stdout.write(f"    {done}/{len(pks)}")
        return rotated

    def rotate_links(self) -> int:
        """Each case's account id sealed anew, and its keyed hash made under the new key: once the old key
        is removed, the person's lookup no longer matches a hash made under it."""
        pks = list(Case.objects.exclude(registrant_token="").order_by("pk").values_list("pk", flat=True))
        for chunk in batches(pks):
            with transaction.atomic():
                for case in Case.objects.select_for_update().filter(pk__in=chunk).only("pk", "registrant_token"):
                    token = self._rotate(Case, case.pk, case.registrant_token.token)
                    account_id = int(crypto.unseal(token))
                    Case.objects.filter(pk=case.pk).update(
                        registrant_token=Sealed(token), registrant_key=crypto.account_key(account_id)
                    )
        return len(pks)

    def rotate_proofs(self) -> int:
        """Each proof file is written anew next to the old one, the case pointed at it, then the old removed:
        a run stopped half-way leaves every case with a readable file."""
        pks = list(
            Case.objects.exclude(proof="").filter(proof__isnull=False).order_by("pk").values_list("pk", flat=True)
        )
        self.stdout.write(f"Proof files: {len(pks)}")
        for done, pk in enumerate(pks, 1):
            with transaction.atomic():
                case = Case.objects.select_for_update().filter(pk=pk).only("pk", "number", "proof").first()
                if case is None or not case.proof:
                    continue
                storage, old_name = case.proof.storage, case.proof.name
                with case.proof.open("rb") as handle:
                    data = self._rotate_bytes(case, handle.read())
                new_name = storage.save(
                    posixpath.join(posixpath.dirname(old_name), f"{case.number}.bin"), ContentFile(data)
                )
                Case.objects.filter(pk=pk).update(proof=new_name)
                transaction.on_commit(functools.partial(storage.delete, old_name))
            if done % 50 == 0 or done == len(pks):
                self.stdout.write(f"    {done}/{len(pks)}")
        return len(pks)

    def _rotate(self, model, pk, token: str) -> str:
        try:
            return crypto.rotate(token)
        except crypto.InvalidToken as error:
            raise CommandError(
                f"{model._meta.label} {pk}: sealed under a key that is not in AID_ENCRYPTION_KEYS."
            ) from error

    def _rotate_bytes(self, case, data: bytes) -> bytes:
        try:
            return crypto.fernet().rotate(data)
        except crypto.InvalidToken as error:
            raise CommandError(
                f"Proof of case {case.pk}: sealed under a key that is not in AID_ENCRYPTION_KEYS."
            ) from error
