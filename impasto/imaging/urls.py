from django.urls import path, register_converter

from impasto.imaging import views


class Sha256Converter:
    regex = "[0-9a-f]{64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Sha256Converter, "sha256")

app_name = "imaging"

urlpatterns = [
    path("upload", views.upload_page, name="upload"),
    path("upload/new", views.upload_create, name="upload-create"),
    path("assets/<int:asset_id>", views.asset_status, name="asset-status"),
    path("assets/<int:asset_id>/retry", views.asset_retry, name="asset-retry"),
    path("assets/<int:asset_id>/delete", views.asset_delete, name="asset-delete"),
    path("uploads", views.api_upload, name="api-upload"),
    path("uploads/<int:asset_id>", views.api_asset, name="api-asset"),
    path("v/<sha256:sha256>.<str:ext>", views.variant, name="variant"),
    path("verify", views.verify_page, name="verify"),
    path("verify/check", views.verify_submit, name="verify-submit"),
    path("watermark", views.watermark_settings, name="watermark"),
]
