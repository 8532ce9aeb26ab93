"""How the front desk reads durations: "12 min", "3 h 5 min", "2 d 4 h"."""
import datetime

from django.utils.translation import gettext as _


def duration_label(delta: datetime.timedelta | None) -> str:
    if delta is None:
        return ""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}
