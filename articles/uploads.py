"""markdownx's preview and upload endpoints, for staff only, with uploads checked by decoding.

markdownx trusts the client: the declared content type picks the processing, the client's file
name picks the extension, and SVG is accepted. Here an upload is decoded with Pillow, must be one
of a few raster formats whatever its name or declared type says, is re-encoded (which also drops
metadata such as GPS positions) and is stored under a random name the server chooses.
"""

import uuid
from io import BytesIO

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.views import View
from PIL import Image, ImageOps, UnidentifiedImageError

from articles.images import descriptions, found_by
from articles.markdown import narrower_copies, render_markdown
from articles.models import BodyImage
from articles.templatetags.article_pages import fill_page_periods

# Decoded format -> file extension. SVG is not a raster format and never decodes here.
RASTER_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is expanded
# A person's photo: readers see a 96 px circle (site.css), drawn sharp at 3 device pixels a px.
PROFILE_PHOTO_SIZE = 288


class RasterImageForm(forms.Form):
    image = forms.FileField()

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload.size > settings.MARKDOWNX_UPLOAD_MAX_SIZE:
            limit = settings.MARKDOWNX_UPLOAD_MAX_SIZE // (1024 * 1024)
            raise forms.ValidationError(f"The image is larger than {limit} MB.")
        try:
            with Image.open(upload) as probe:
                image_format = probe.format
                if probe.width * probe.height > MAX_PIXELS:
                    raise forms.ValidationError("The image has too many pixels.")
                probe.verify()
            upload.seek(0)
            image = Image.open(upload)
            image.load()
            # A phone stores its sensor's pixels and an EXIF tag saying how to turn them;
            # re-encoding drops the tag, so the pixels are turned now or show on their side.
            ImageOps.exif_transpose(image, in_place=True)
        except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
            raise forms.ValidationError(
                "This file is not an image we accept (JPEG, PNG, GIF or WebP)."
            ) from None
        if image_format == "MPO":
            # A phone's JPEG with more pictures in it (a depth map, a preview): its first one.
            image_format = "JPEG"
        if image_format not in RASTER_FORMATS:
            raise forms.ValidationError("Only JPEG, PNG, GIF or WebP images are accepted.")
        self.decoded = (image, image_format)
        return upload

    def save(self, commit=True, uploaded_by=None):
        """Re-encode the decoded image and store it under a server-chosen name, listed in the
        editors' uploaded images (``BodyImage``, Articles, Images); return its URL.

        The name carries the stored size (``<random>-<width>x<height>.<ext>``) and narrower
        copies are stored beside it (``…-480w.<ext>``, ``…-960w.<ext>``), so the renderer can
        give the page ``width``, ``height`` and ``srcset`` without opening the file.
        """
        image, image_format = self.decoded
        max_size = settings.MARKDOWNX_IMAGE_MAX_SIZE["size"]
        if image_format != "GIF":  # resizing would drop an animation's frames
            image.thumbnail(max_size)
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        stem = f"{settings.MARKDOWNX_MEDIA_PATH}{uuid.uuid4().hex}-{image.width}x{image.height}"
        extension = RASTER_FORMATS[image_format]
        stored = default_storage.save(f"{stem}.{extension}", self._encode(image, image_format))
        for width, name in narrower_copies(stored, image.width):
            copy = image.copy()
            copy.thumbnail((width, image.height))
            default_storage.save(name, self._encode(copy, image_format))
        self.body_image = BodyImage.objects.create(
            path=stored,
            # As Django's upload parser left it: no folders, no unprintable characters, 255 at most.
            original_name=self.cleaned_data["image"].name or "",
            width=image.width,
            height=image.height,
            uploaded_by=uploaded_by,
        )
        return default_storage.url(stored)

    def as_stored_file(self, square: int | None = None) -> ContentFile:
        """The decoded image re-encoded (no metadata), named by the server, for a model's
        file field: the featured image within the uploads' size limit, or with ``square``, a
        person's photo cut to its centred square of at most that many pixels a side."""
        image, image_format = self.decoded
        if square is not None:
            side = min(square, image.width, image.height)
            image = ImageOps.fit(image, (side, side))
        elif image_format != "GIF":
            image.thumbnail(settings.MARKDOWNX_IMAGE_MAX_SIZE["size"])
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        encoded = self._encode(image, image_format)
        encoded.name = f"{uuid.uuid4().hex}.{RASTER_FORMATS[image_format]}"
        return encoded

    @staticmethod
    def _encode(image, image_format) -> ContentFile:
        buffer = BytesIO()
        options = {"quality": settings.MARKDOWNX_IMAGE_MAX_SIZE["quality"]}
        if image_format == "GIF":
            options = {"save_all": True}
        # Pillow carries a GIF's or JPEG's comment over to the new file; it may hold markup.
        options["comment"] = b""
        image.save(buffer, image_format, **options)
        return ContentFile(buffer.getvalue())


class StaffOnlyMixin:
    """Answer 403 (not a login redirect: these are XHR endpoints) to anyone but staff."""

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffMarkdownifyView(StaffOnlyMixin, View):
    """markdownx's live preview (a publisher's page's box): the text as readers see the page,
    the site's periods filled in as ``page_text`` does, where it showed "{ip_days}" as typed.
    Not through that filter's cache of rendered pages: every pause in the typing is a new text."""

    def post(self, request, *args, **kwargs):
        html = render_markdown(request.POST.get("content", ""))
        return HttpResponse(fill_page_periods(html))


class StaffImageUploadView(StaffOnlyMixin, View):
    """markdownx's image upload: answers with the Markdown to insert, or the reason in JSON."""

    def post(self, request, *args, **kwargs):
        form = RasterImageForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse(form.errors, status=400)
        url = form.save(uploaded_by=request.user)
        return JsonResponse({"image_code": f"![]({url})", "url": url})


class StaffUploadedImagesView(StaffOnlyMixin, View):
    """The editor's image dialog's "choose one already uploaded": the newest uploads, each
    with its address, a small copy to show, its name, size, date and the description a text
    gives it (what tells apart uploads of the same file); ``q`` finds them by name or by
    the words a text describes them with, ``offset`` skips those shown already, and ``more``
    says whether others follow."""

    SHOWN = 24
    # Far past any site's uploads; a larger offset overflowed the databases' integers (a 500).
    MAX_OFFSET = 10**9

    def get(self, request, *args, **kwargs):
        uploads = BodyImage.objects.all()
        # No NUL: PostgreSQL refuses one in a query's text (a 500), and no name holds one.
        query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
        uploads = found_by(uploads, query)
        try:
            offset = min(max(0, int(request.GET.get("offset", 0))), self.MAX_OFFSET)
        except ValueError:
            offset = 0
        found = list(uploads[offset : offset + self.SHOWN + 1])
        described = descriptions(found[: self.SHOWN])
        images = [
            {
                "url": image.url,
                "thumb": image.thumb_url,
                "name": str(image),
                "width": image.width,
                "height": image.height,
                "uploaded": date_format(timezone.localtime(image.uploaded_at), "j M Y"),
                "alt": described.get(image.pk, ""),
            }
            for image in found[: self.SHOWN]
        ]
        return JsonResponse({"images": images, "more": len(found) > self.SHOWN})
