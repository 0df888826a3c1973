"""Time helpers shared by the models (stored times are naive UTC)."""
import datetime as dt


def utcnow() -> dt.datetime:
    """The current time in UTC, naive (as stored in the database)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
