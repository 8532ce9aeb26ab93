"""A guest's stored file (photo, voice note, document) goes with its row when
staff delete the message, once the deletion commits; a deletion that rolls back
keeps both. Django itself leaves a FileField's file behind."""
import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django_scopes import scopes_disabled

from tests.factories import ConversationFactory, InboundMessageFactory
from webhooks.models import InboundMessage, MessageMedia

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def media_with_file(tenant, content: bytes = b"\xff\xd8\xff photo") -> MessageMedia:
    inbound = InboundMessageFactory(conversation=ConversationFactory(tenant=tenant), message_type="image",
                                    text="")
    with scopes_disabled():
        media = MessageMedia.objects.create(tenant=tenant, inbound=inbound, kind="image", media_id="IMG1")
    media.file.save(f"{media.pk}.jpg", ContentFile(content))
    return media


def delete_message(media: MessageMedia) -> None:
    with scopes_disabled():
        InboundMessage.objects.filter(pk=media.inbound_id).delete()


def test_deleting_a_message_deletes_its_file_once_committed(tenant, media_root,
                                                            django_capture_on_commit_callbacks):
    kept, deleted = media_with_file(tenant), media_with_file(tenant)
    assert len(stored_files(media_root)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        delete_message(deleted)

    assert stored_files(media_root) == [media_root / kept.file.name]
    with scopes_disabled():
        assert list(MessageMedia.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_deletion_that_rolls_back_keeps_the_file(tenant, media_root, django_capture_on_commit_callbacks):
    media = media_with_file(tenant)

    with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError),
          transaction.atomic()):
        delete_message(media)
        raise RuntimeError("staff's deletion fails")

    assert callbacks == []
    assert stored_files(media_root) == [media_root / media.file.name]


def test_a_location_or_a_file_never_downloaded_deletes_cleanly(tenant, media_root,
                                                                 django_capture_on_commit_callbacks):
    inbound = InboundMessageFactory(conversation=ConversationFactory(tenant=tenant), message_type="location")
    with scopes_disabled():
        MessageMedia.objects.create(tenant=tenant, inbound=inbound, kind="location", place_name="Sol")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, scopes_disabled():
        InboundMessage.objects.filter(pk=inbound.pk).delete()

    assert callbacks == []
    with scopes_disabled():
        assert not MessageMedia.objects.exists()


def test_a_file_already_gone_does_not_fail_the_deletion(tenant, media_root,
                                                         django_capture_on_commit_callbacks):
    media = media_with_file(tenant)
    (media_root / media.file.name).unlink()

    with django_capture_on_commit_callbacks(execute=True):
        delete_message(media)

    with scopes_disabled():
        assert not InboundMessage.objects.filter(pk=media.inbound_id).exists()
