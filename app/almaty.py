"""Deadlines are entered, shown and enforced in Asia/Almaty; the database stores naive UTC."""
from datetime import timezone
from zoneinfo import ZoneInfo

ALMATY = ZoneInfo("Asia/Almaty")


def almaty_to_utc(local):
    """A naive Almaty wall-clock datetime -> naive UTC."""
    return local.replace(tzinfo=ALMATY).astimezone(timezone.utc).replace(tzinfo=None)


def utc_to_almaty(utc):
    """A naive UTC datetime -> naive Almaty wall-clock datetime."""
    return utc.replace(tzinfo=timezone.utc).astimezone(ALMATY).replace(tzinfo=None)
