# --- cloaking (impasto/protection/cloaking) ---------------------------------------------------
from impasto.protection.cloaking.models import CloakJob

# --- end cloaking -----------------------------------------------------------------------------
# --- detection (impasto/protection/detection) -------------------------------------------------
from impasto.protection.detection.models import BlockedImageHash

# --- end detection ----------------------------------------------------------------------------

__all__ = ["BlockedImageHash", "CloakJob"]
